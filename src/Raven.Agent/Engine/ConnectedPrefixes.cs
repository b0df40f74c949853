using System.Net.Sockets;
using Raven.Agent.Linux;
using Raven.Api.Net;

namespace Raven.Agent.Engine;

/// <summary>
/// This node's own networks as its interface addresses define them (the LAN, CNI bridges, ...): the planner never
/// routes an address inside them into the tunnel. Raven's own devices and loopback do not count, and neither do
/// link- or host-scoped addresses (fe80::/64 and 127/8 are never announced by anyone).
/// </summary>
public static class ConnectedPrefixes
{
    /// <param name="ownDevices">Devices raven creates (raven0, the WireGuard interface).</param>
    public static IReadOnlyList<Cidr> From(IEnumerable<NetLink> links, IEnumerable<NetAddress> addresses, IReadOnlyCollection<string> ownDevices)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(ownDevices);
        var names = links.ToDictionary(l => l.Index, l => l.Name);
        return CidrMath.Sort(addresses
            .Where(a => a.Scope == RouteScope.Universe && names.TryGetValue(a.InterfaceIndex, out var name) && name != "lo" && !ownDevices.Contains(name))
            .Select(a => Cidr.Create(Cidr.ToBits(a.Address), a.PrefixLength, a.Address.AddressFamily == AddressFamily.InterNetworkV6)));
    }

    /// <summary>Reads links and IPv4/IPv6 addresses of the kernel's namespace.</summary>
    public static IReadOnlyList<Cidr> Read(RtNetlink netlink, IReadOnlyCollection<string> ownDevices)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        var addresses = netlink.ListAddresses(AddressFamily.InterNetwork).Concat(netlink.ListAddresses(AddressFamily.InterNetworkV6));
        return From(netlink.ListLinks(), addresses, ownDevices);
    }
}
