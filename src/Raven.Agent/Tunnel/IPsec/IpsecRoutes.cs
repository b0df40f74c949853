using System.Net;
using Raven.Agent.Linux;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Raven's routes into the kernel-libipsec TUN device: each remote subnet via ipsecN in Raven's tunnel table, with a
/// source address inside the connection's local subnets so traffic this gateway originates matches the CHILD SA's
/// local traffic selector (forwarded pod traffic keeps its own source). charon's own per-SA routes sit in a table
/// no rule selects, so these are the only ones the kernel uses.
/// </summary>
public static class IpsecRoutes
{
    /// <summary>The wanted routes; a remote subnet listed by two connections is routed once (the first wins).</summary>
    public static IReadOnlyList<NetRoute> For(
        IReadOnlyList<IpsecConnectionSpec> connections,
        IReadOnlyCollection<IPAddress> hostAddresses,
        int deviceIndex,
        uint table,
        int? mtu)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(hostAddresses);
        var routes = new Dictionary<IPNetwork, NetRoute>();
        foreach (var connection in connections)
        {
            var source = SourceFor(connection.LocalSubnets, hostAddresses);
            foreach (var subnet in connection.RemoteSubnets)
            {
                routes.TryAdd(subnet, new NetRoute(subnet)
                {
                    Table = table,
                    OutputInterface = deviceIndex,
                    PreferredSource = source,
                    Scope = RouteScope.Link,
                    Mtu = mtu,
                });
            }
        }

        return routes.Values.ToList();
    }

    /// <summary>The first host address (in address order) inside any of the local subnets; null when none is.</summary>
    public static IPAddress? SourceFor(IReadOnlyList<IPNetwork> localSubnets, IReadOnlyCollection<IPAddress> hostAddresses)
    {
        ArgumentNullException.ThrowIfNull(localSubnets);
        ArgumentNullException.ThrowIfNull(hostAddresses);
        return hostAddresses
            .Where(a => !IPAddress.IsLoopback(a) && localSubnets.Any(s => s.Contains(a)))
            .OrderBy(a => a.GetAddressBytes(), ByteOrder.Instance)
            .FirstOrDefault();
    }

    /// <summary>
    /// Makes the routes of <paramref name="table"/> that leave through <paramref name="deviceIndex"/> exactly
    /// <paramref name="wanted"/>; other routes of the table are not touched. Returns true when something changed.
    /// </summary>
    public static bool Sync(RtNetlink netlink, uint table, int deviceIndex, IReadOnlyList<NetRoute> wanted)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        ArgumentNullException.ThrowIfNull(wanted);
        var actual = netlink.ListRoutes(table).Where(r => r.OutputInterface == deviceIndex);
        var diff = StateDiff.Compute(wanted, actual, r => (r.Destination, r.Metric), (a, d) => a == d);
        foreach (var route in diff.ToRemove)
        {
            netlink.DeleteRoute(route);
        }

        foreach (var (_, route) in diff.ToChange)
        {
            netlink.ReplaceRoute(route);
        }

        foreach (var route in diff.ToAdd)
        {
            netlink.AddRoute(route);
        }

        return !diff.IsEmpty;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x is null || y is null
            ? Comparer<object>.Default.Compare(x, y)
            : x.AsSpan().SequenceCompareTo(y);
    }
}
