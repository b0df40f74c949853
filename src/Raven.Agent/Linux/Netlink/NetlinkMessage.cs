using System.Buffers.Binary;

namespace Raven.Agent.Linux.Netlink;

/// <summary>One received netlink message: its header fields and the payload after the 16-byte header.</summary>
internal readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, uint PortId, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Splits a datagram into messages; a truncated or malformed message ends the walk with an error.</summary>
    public static List<NetlinkMessage> ParseAll(ReadOnlyMemory<byte> datagram)
    {
        var messages = new List<NetlinkMessage>();
        int offset = 0;
        ReadOnlySpan<byte> span = datagram.Span;
        while (span.Length - offset >= NetlinkMessageBuilder.HeaderLength)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
            if (length < NetlinkMessageBuilder.HeaderLength || offset + length > span.Length)
            {
                throw new InvalidDataException($"netlink message at offset {offset} has invalid length {length} (datagram {span.Length} bytes)");
            }

            messages.Add(new NetlinkMessage(
                BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 4)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 6)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 8)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 12)..]),
                datagram.Slice(offset + NetlinkMessageBuilder.HeaderLength, length - NetlinkMessageBuilder.HeaderLength)));
            offset += NetlinkMessageBuilder.Align(length);
        }

        return messages;
    }
}
