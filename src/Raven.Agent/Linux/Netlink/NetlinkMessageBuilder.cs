using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Raven.Agent.Linux.Netlink;

/// <summary>
/// Builds one netlink message: 16-byte nlmsghdr, a fixed family header, then rtattr TLVs aligned to 4 bytes.
/// Host byte order (little endian on every platform .NET runs Linux on) except where the kernel wants network order.
/// </summary>
internal sealed class NetlinkMessageBuilder
{
    public const int HeaderLength = 16;
    private const int AttributeHeaderLength = 4;

    private byte[] _buffer = new byte[256];
    private int _length;

    public NetlinkMessageBuilder(ushort type, ushort flags)
    {
        Type = type;
        Flags = flags;
        _length = HeaderLength;
    }

    public ushort Type { get; }

    public ushort Flags { get; }

    /// <summary>Appends the fixed family header (ifinfomsg, rtmsg, ...), padded to 4 bytes.</summary>
    public NetlinkMessageBuilder AddHeader(ReadOnlySpan<byte> header)
    {
        Append(header);
        Pad();
        return this;
    }

    public NetlinkMessageBuilder AddAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        int length = AttributeHeaderLength + value.Length;
        Ensure(Align(length));
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_length), (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_length + 2), type);
        _length += AttributeHeaderLength;
        Append(value);
        Pad();
        return this;
    }

    public NetlinkMessageBuilder AddU8(ushort type, byte value) => AddAttribute(type, [value]);

    public NetlinkMessageBuilder AddU16(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return AddAttribute(type, bytes);
    }

    public NetlinkMessageBuilder AddU16NetworkOrder(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return AddAttribute(type, bytes);
    }

    public NetlinkMessageBuilder AddU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return AddAttribute(type, bytes);
    }

    public NetlinkMessageBuilder AddString(ushort type, string value)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return AddAttribute(type, bytes);
    }

    public NetlinkMessageBuilder AddAddress(ushort type, IPAddress address) => AddAttribute(type, address.GetAddressBytes());

    /// <summary>Opens a nested attribute; close it with <see cref="EndNested"/> once its children are added.</summary>
    public int BeginNested(ushort type)
    {
        int start = _length;
        AddAttribute(type, ReadOnlySpan<byte>.Empty);
        return start;
    }

    public NetlinkMessageBuilder EndNested(int start)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));
        return this;
    }

    /// <summary>Returns the finished message with its length, type, flags and sequence number filled in.</summary>
    public byte[] Build(uint sequence, uint portId = 0)
    {
        byte[] message = _buffer.AsSpan(0, _length).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)_length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), Type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), portId);
        return message;
    }

    internal static int Align(int length) => (length + 3) & ~3;

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Pad()
    {
        int aligned = Align(_length);
        Ensure(aligned - _length);
        _buffer.AsSpan(_length, aligned - _length).Clear();
        _length = aligned;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
