using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// The VICI transport and packet layers: every packet is one segment prefixed with its 4-byte big-endian length
/// (not counting the prefix, at most 512 KiB); the segment starts with the packet type, then a 1-byte-length name
/// for named types, then the message for types that carry one.
/// </summary>
public static class ViciPacketCodec
{
    /// <summary>charon refuses longer segments (VICI_MESSAGE_SIZE_MAX); we refuse them too, in both directions.</summary>
    public const int MaxSegmentBytes = 512 * 1024;

    public const int LengthPrefixBytes = 4;

    /// <summary>The whole segment, length prefix included, ready to write to the socket.</summary>
    public static byte[] Encode(ViciPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var body = new ArrayBufferWriter<byte>();
        body.GetSpan(1)[0] = (byte)packet.Type;
        body.Advance(1);
        if (packet.Type.IsNamed())
        {
            var name = packet.Name ?? throw new ArgumentException($"A {packet.Type} packet needs a name.", nameof(packet));
            ViciSection.ValidateName(name);
            var span = body.GetSpan(1 + name.Length);
            span[0] = (byte)name.Length;
            Encoding.ASCII.GetBytes(name, span[1..]);
            body.Advance(1 + name.Length);
        }
        else if (packet.Name is not null)
        {
            throw new ArgumentException($"A {packet.Type} packet has no name.", nameof(packet));
        }

        if (packet.Type.HasMessage())
        {
            ViciMessageCodec.Write(body, packet.Message ?? new ViciSection());
        }
        else if (packet.Message is { Count: > 0 })
        {
            throw new ArgumentException($"A {packet.Type} packet carries no message.", nameof(packet));
        }

        if (body.WrittenCount > MaxSegmentBytes)
        {
            throw new ArgumentException($"The VICI packet is {body.WrittenCount} bytes; charon accepts at most {MaxSegmentBytes}.", nameof(packet));
        }

        var segment = new byte[LengthPrefixBytes + body.WrittenCount];
        BinaryPrimitives.WriteUInt32BigEndian(segment, (uint)body.WrittenCount);
        body.WrittenSpan.CopyTo(segment.AsSpan(LengthPrefixBytes));
        return segment;
    }

    /// <summary>Decodes one segment's payload (the bytes after the length prefix).</summary>
    /// <exception cref="FormatException">Unknown type, truncated name or malformed message.</exception>
    public static ViciPacket Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            throw new FormatException("Empty VICI packet.");
        }

        if (!ViciPacketTypes.IsDefined(payload[0]))
        {
            throw new FormatException($"Unknown VICI packet type {payload[0]}.");
        }

        var type = (ViciPacketType)payload[0];
        var offset = 1;
        string? name = null;
        if (type.IsNamed())
        {
            if (payload.Length < 2 || payload[1] == 0 || 2 + payload[1] > payload.Length)
            {
                throw new FormatException($"VICI {type} packet with a truncated name.");
            }

            name = Encoding.ASCII.GetString(payload.Slice(2, payload[1]));
            offset = 2 + payload[1];
        }

        ViciSection? message = null;
        if (type.HasMessage())
        {
            message = ViciMessageCodec.Decode(payload[offset..]);
        }
        else if (offset != payload.Length)
        {
            throw new FormatException($"VICI {type} packet has {payload.Length - offset} unexpected trailing bytes.");
        }

        return new ViciPacket(type, name, message);
    }

    /// <summary>Reads the payload length from a 4-byte prefix, refusing segments charon could never send.</summary>
    public static int ReadLength(ReadOnlySpan<byte> prefix)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        return length is 0 or > MaxSegmentBytes
            ? throw new FormatException($"VICI segment length {length} is outside 1-{MaxSegmentBytes}.")
            : (int)length;
    }
}
