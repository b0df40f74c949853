using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Raven.Lab.Topology;

/// <summary>IPv4 arithmetic the address plan needs; the lab is IPv4 only, like the seed cluster.</summary>
public static class Ipv4
{
    public static uint ToUInt32(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{address}' is not an IPv4 address", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The address <paramref name="offset"/> places after the network's base address.</summary>
    public static IPAddress Host(IPNetwork network, uint offset) => FromUInt32(ToUInt32(network.BaseAddress) + offset);

    public static IPAddress Broadcast(IPNetwork network)
    {
        var hostBits = 32 - network.PrefixLength;
        var mask = hostBits == 32 ? uint.MaxValue : (1u << hostBits) - 1;
        return FromUInt32(ToUInt32(network.BaseAddress) | mask);
    }

    public static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    /// <summary>True when the address is usable by a host: inside the network, neither its base nor its broadcast.</summary>
    public static bool IsHostOf(IPNetwork network, IPAddress address) =>
        network.Contains(address) && !address.Equals(network.BaseAddress) && !address.Equals(Broadcast(network));

    /// <summary>"address/prefix" as iproute2 wants it for an address on an interface.</summary>
    public static string WithPrefix(IPAddress address, IPNetwork network) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{address}/{network.PrefixLength}");
}
