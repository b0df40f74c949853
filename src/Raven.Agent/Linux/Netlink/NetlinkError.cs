using System.Buffers.Binary;

namespace Raven.Agent.Linux.Netlink;

/// <summary>Decodes an NLMSG_ERROR payload: errno (0 means ACK) and the optional extended-ack message.</summary>
internal static class NetlinkError
{
    private const ushort AttrMessage = 1;

    public static (int Errno, string? Message) Parse(NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload.Span;
        if (payload.Length < 4)
        {
            throw new InvalidDataException($"NLMSG_ERROR payload is {payload.Length} bytes, expected at least 4");
        }

        int errno = -BinaryPrimitives.ReadInt32LittleEndian(payload);
        if ((message.Flags & NlmFlags.AckTlvs) == 0 || payload.Length < 4 + NetlinkMessageBuilder.HeaderLength)
        {
            return (errno, null);
        }

        // The echoed request follows the errno: only its header when the reply is capped, else the whole message.
        int echoedLength = (message.Flags & NlmFlags.Capped) != 0
            ? NetlinkMessageBuilder.HeaderLength
            : (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]);
        int tlvStart = 4 + NetlinkMessageBuilder.Align(echoedLength);
        if (tlvStart > payload.Length)
        {
            return (errno, null);
        }

        var attributes = NetlinkAttributes.Parse(message.Payload[tlvStart..]);
        return (errno, attributes.String(AttrMessage));
    }
}
