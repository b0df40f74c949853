using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Raven.Agent.Linux.Netlink;

/// <summary>Parsed rtattr list: type to value. Repeated types keep the last value, which is what rtnetlink replies need.</summary>
internal sealed class NetlinkAttributes
{
    // High bits of rta_type flag nested / network-order attributes; the type itself is the low 14 bits.
    private const ushort TypeMask = 0x3fff;

    private readonly Dictionary<ushort, ReadOnlyMemory<byte>> _values = [];

    private NetlinkAttributes()
    {
    }

    public static NetlinkAttributes Parse(ReadOnlyMemory<byte> data)
    {
        var attributes = new NetlinkAttributes();
        ReadOnlySpan<byte> span = data.Span;
        int offset = 0;
        while (span.Length - offset >= 4)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]) & TypeMask);
            if (length < 4 || offset + length > span.Length)
            {
                throw new InvalidDataException($"rtattr type {type} at offset {offset} has invalid length {length}");
            }

            attributes._values[type] = data.Slice(offset + 4, length - 4);
            offset += NetlinkMessageBuilder.Align(length);
        }

        return attributes;
    }

    public bool Has(ushort type) => _values.ContainsKey(type);

    public ReadOnlyMemory<byte>? Bytes(ushort type) => _values.TryGetValue(type, out var value) ? value : null;

    public NetlinkAttributes? Nested(ushort type) => _values.TryGetValue(type, out var value) ? Parse(value) : null;

    public byte? U8(ushort type) => _values.TryGetValue(type, out var value) && value.Length >= 1 ? value.Span[0] : null;

    public ushort? U16(ushort type) =>
        _values.TryGetValue(type, out var value) && value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(value.Span) : null;

    public ushort? U16NetworkOrder(ushort type) =>
        _values.TryGetValue(type, out var value) && value.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(value.Span) : null;

    public uint? U32(ushort type) =>
        _values.TryGetValue(type, out var value) && value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(value.Span) : null;

    public string? String(ushort type)
    {
        if (!_values.TryGetValue(type, out var value))
        {
            return null;
        }

        ReadOnlySpan<byte> span = value.Span;
        int end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? span[..end] : span);
    }

    public IPAddress? Address(ushort type) =>
        _values.TryGetValue(type, out var value) && (value.Length == 4 || value.Length == 16) ? new IPAddress(value.Span) : null;
}
