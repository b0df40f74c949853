using System.Net;

namespace Raven.Lab.Topology;

/// <summary>
/// The documentation ranges of RFC 5737. Every address the lab presents as "public" comes from here, so a lab packet
/// that escaped the machine could never reach a real host.
/// </summary>
public static class TestNet
{
    public static readonly IPNetwork Net1 = IPNetwork.Parse("192.0.2.0/24");
    public static readonly IPNetwork Net2 = IPNetwork.Parse("198.51.100.0/24");
    public static readonly IPNetwork Net3 = IPNetwork.Parse("203.0.113.0/24");

    public static IReadOnlyList<IPNetwork> All { get; } = [Net1, Net2, Net3];

    public static bool Contains(IPAddress address) => All.Any(n => n.Contains(address));

    public static bool Contains(IPNetwork network) =>
        All.Any(n => n.PrefixLength <= network.PrefixLength && n.Contains(network.BaseAddress));
}
