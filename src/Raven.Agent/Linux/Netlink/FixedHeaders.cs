using System.Buffers.Binary;

namespace Raven.Agent.Linux.Netlink;

/// <summary>Encoders for the fixed family headers that follow nlmsghdr.</summary>
internal static class FixedHeaders
{
    public const int IfInfoLength = 16;
    public const int IfAddrLength = 8;
    public const int RtMsgLength = 12;
    public const int FibRuleLength = 12;
    public const int NdMsgLength = 12;

    // struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; }
    public static byte[] IfInfo(byte family, int index, uint flags = 0, uint change = 0)
    {
        var header = new byte[IfInfoLength];
        header[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), change);
        return header;
    }

    // struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }
    public static byte[] IfAddr(byte family, byte prefixLength, byte scope, int index)
    {
        var header = new byte[IfAddrLength];
        header[0] = family;
        header[1] = prefixLength;
        header[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), index);
        return header;
    }

    // struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }
    // fib_rule_hdr has the same layout with (family, dst_len, src_len, tos, table, res1, res2, action; flags).
    public static byte[] RtMsg(byte family, byte dstLength, byte table, byte protocol, byte scope, byte type, uint flags, byte srcLength = 0)
    {
        var header = new byte[RtMsgLength];
        header[0] = family;
        header[1] = dstLength;
        header[2] = srcLength;
        header[4] = table;
        header[5] = protocol;
        header[6] = scope;
        header[7] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), flags);
        return header;
    }

    // struct ndmsg { u8 family; u8 pad1; u16 pad2; s32 ifindex; u16 state; u8 flags; u8 type; }
    public static byte[] NdMsg(byte family, int index, ushort state, byte flags)
    {
        var header = new byte[NdMsgLength];
        header[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), index);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), state);
        header[10] = flags;
        return header;
    }

    public static void RequireLength(ReadOnlySpan<byte> payload, int length, string what)
    {
        if (payload.Length < length)
        {
            throw new InvalidDataException($"{what} payload is {payload.Length} bytes, expected at least {length}");
        }
    }
}
