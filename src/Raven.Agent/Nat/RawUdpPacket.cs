using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Nat;

/// <summary>
/// Pure: the UDP header the raw transport writes (the kernel adds the IPv4 header) and the IPv4 + UDP parsing of
/// what a raw IPPROTO_UDP socket receives (every local UDP datagram, IP header included, before UDP's own checks).
/// </summary>
public static class RawUdpPacket
{
    public const int UdpHeaderLength = 8;
    private const int ProtocolUdp = 17;

    /// <summary>UDP header + payload with the checksum over the IPv4 pseudo-header.</summary>
    public static byte[] BuildUdp(IPAddress source, int sourcePort, IPAddress destination, int destinationPort, ReadOnlySpan<byte> payload)
    {
        RequireIPv4(source);
        RequireIPv4(destination);
        int length = UdpHeaderLength + payload.Length;
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("UDP payload too large", nameof(payload));
        }

        var datagram = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, checked((ushort)sourcePort));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), checked((ushort)destinationPort));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)length);
        payload.CopyTo(datagram.AsSpan(UdpHeaderLength));
        ushort checksum = Checksum(source, destination, datagram);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(6), checksum == 0 ? (ushort)0xFFFF : checksum);
        return datagram;
    }

    /// <summary>
    /// Reads an IPv4 packet from a raw socket: a whole (unfragmented) UDP datagram to <paramref name="localAddress"/>
    /// : <paramref name="localPort"/> yields its source and payload; anything else is false.
    /// </summary>
    public static bool TryParseIPv4(ReadOnlySpan<byte> packet, IPAddress localAddress, int localPort, out IPEndPoint? source, out Range payload)
    {
        source = null;
        payload = default;
        if (packet.Length < 20 || (packet[0] >> 4) != 4)
        {
            return false;
        }

        int headerLength = (packet[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < 20 || totalLength > packet.Length || totalLength < headerLength + UdpHeaderLength)
        {
            return false;
        }

        bool fragment = (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0;
        if (fragment || packet[9] != ProtocolUdp)
        {
            return false;
        }

        var sourceAddress = new IPAddress(packet.Slice(12, 4));
        var destinationAddress = new IPAddress(packet.Slice(16, 4));
        if (!destinationAddress.Equals(localAddress))
        {
            return false;
        }

        var udp = packet[headerLength..totalLength];
        int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (BinaryPrimitives.ReadUInt16BigEndian(udp[2..]) != localPort || udpLength < UdpHeaderLength || udpLength > udp.Length)
        {
            return false;
        }

        // The UDP checksum is not checked: a raw socket sees the datagram before UDP does, and between network
        // namespaces (veth) a locally sent datagram still carries a partial checksum the NIC would have finished.
        // STUN's transaction id and FINGERPRINT are what tie the payload to our request.
        source = new IPEndPoint(sourceAddress, BinaryPrimitives.ReadUInt16BigEndian(udp));
        payload = new Range(headerLength + UdpHeaderLength, headerLength + udpLength);
        return true;
    }

    /// <summary>Ones' complement of the ones' complement sum over the pseudo-header and the datagram.</summary>
    private static ushort Checksum(IPAddress source, IPAddress destination, ReadOnlySpan<byte> udp)
    {
        Span<byte> pseudo = stackalloc byte[12];
        source.TryWriteBytes(pseudo, out _);
        destination.TryWriteBytes(pseudo[4..], out _);
        pseudo[8] = 0;
        pseudo[9] = ProtocolUdp;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)udp.Length);
        uint sum = Sum(pseudo, 0);
        sum = Sum(udp, sum);
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static uint Sum(ReadOnlySpan<byte> bytes, uint sum)
    {
        int i = 0;
        for (; i + 1 < bytes.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        }

        if (i < bytes.Length)
        {
            sum += (uint)(bytes[i] << 8);
        }

        return sum;
    }

    private static void RequireIPv4(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address}: the raw transport is IPv4 only", nameof(address));
        }
    }
}
