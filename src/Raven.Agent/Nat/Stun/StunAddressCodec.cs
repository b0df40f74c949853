using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Nat.Stun;

/// <summary>
/// The address format shared by MAPPED-ADDRESS, XOR-MAPPED-ADDRESS, RESPONSE-ORIGIN and OTHER-ADDRESS: a zero byte,
/// the family (1 = IPv4, 2 = IPv6), the port and the address. The XOR form XORs the port with the cookie's top 16
/// bits and the address with the cookie (IPv4) or the cookie followed by the transaction id (IPv6).
/// </summary>
public static class StunAddressCodec
{
    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    public static int ValueLength(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.AddressFamily == AddressFamily.InterNetwork ? 8 : 20;
    }

    public static void Write(Span<byte> destination, IPEndPoint endpoint, bool xor, StunTransactionId transactionId)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var address = Normalize(endpoint.Address);
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        destination[0] = 0;
        destination[1] = v4 ? FamilyIPv4 : FamilyIPv6;
        var port = (ushort)endpoint.Port;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], xor ? (ushort)(port ^ (StunConstants.MagicCookie >> 16)) : port);
        var addressBytes = destination.Slice(4, v4 ? 4 : 16);
        if (!address.TryWriteBytes(addressBytes, out _))
        {
            throw new ArgumentException($"cannot write address {address}", nameof(endpoint));
        }

        if (xor)
        {
            Span<byte> mask = stackalloc byte[16];
            WriteMask(mask, transactionId);
            for (int i = 0; i < addressBytes.Length; i++)
            {
                addressBytes[i] ^= mask[i];
            }
        }
    }

    public static StunRead<IPEndPoint> Read(ReadOnlySpan<byte> value, bool xor, StunTransactionId transactionId)
    {
        if (value.Length < 4)
        {
            return StunRead<IPEndPoint>.Bad($"address attribute has {value.Length} bytes");
        }

        int expected = value[1] switch
        {
            FamilyIPv4 => 8,
            FamilyIPv6 => 20,
            _ => -1,
        };
        if (expected < 0)
        {
            return StunRead<IPEndPoint>.Bad($"unknown address family {value[1]}");
        }

        if (value.Length != expected)
        {
            return StunRead<IPEndPoint>.Bad($"address attribute has {value.Length} bytes, family {value[1]} needs {expected}");
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        Span<byte> address = stackalloc byte[expected - 4];
        value[4..].CopyTo(address);
        if (xor)
        {
            port ^= (int)(StunConstants.MagicCookie >> 16);
            Span<byte> mask = stackalloc byte[16];
            WriteMask(mask, transactionId);
            for (int i = 0; i < address.Length; i++)
            {
                address[i] ^= mask[i];
            }
        }

        return StunRead<IPEndPoint>.Ok(new IPEndPoint(new IPAddress(address), port));
    }

    /// <summary>IPv4-mapped IPv6 addresses (from dual-stack sockets) are written as IPv4.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    public static IPEndPoint Normalize(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;
    }

    private static void WriteMask(Span<byte> mask, StunTransactionId transactionId)
    {
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunConstants.MagicCookie);
        transactionId.Write(mask[4..]);
    }
}
