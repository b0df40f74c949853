using System.Globalization;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// VXLAN by hand with <c>ip</c> and <c>bridge</c>, the way an operator would wire two gateways: a vxlan device on
/// the node address, a fixed MAC per side, a permanent neighbour and a static FDB entry for the peer (its NAT's
/// forwarded port for the NATed side) and one onlink route per side: the layout of Raven's cable, on its own device
/// and VNI, with nothing of Raven's planner or rules.
/// </summary>
internal sealed class HandVxlan : IHandTunnel
{
    private const string Device = "rvbhx0";
    private const string Vni = "4242";
    private const int Port = 4474;
    private readonly List<TestNamespace> _configured = [];

    public Task ConnectAsync(LabNode exposed, string exposedPublicIp, LabNode nated, string natedPublicIp, int natedPublicPort, int mtu)
    {
        const string exposedMac = "aa:1f:00:00:00:01";
        const string natedMac = "aa:1f:00:00:00:02";
        Configure(exposed, exposedMac, peerUnderlay: natedPublicIp, peerPort: natedPublicPort, peerMac: natedMac, remoteSubnet: nated.Subnet, mtu);
        Configure(nated, natedMac, peerUnderlay: exposedPublicIp, peerPort: Port, peerMac: exposedMac, remoteSubnet: exposed.Subnet, mtu);
        return Task.CompletedTask;
    }

    private void Configure(LabNode node, string mac, string peerUnderlay, int peerPort, string peerMac, string remoteSubnet, int mtu)
    {
        var ns = node.Namespace;
        var port = Port.ToString(CultureInfo.InvariantCulture);
        // A zero outer UDP checksum, as Raven's cable has: NAT rewriting the outer address corrupts an offloaded one.
        ns.Ip("link", "add", Device, "address", mac, "mtu", mtu.ToString(CultureInfo.InvariantCulture), "type", "vxlan",
            "id", Vni, "local", LocalUnderlay(node), "dstport", port, "nolearning", "noudpcsum");
        _configured.Add(ns);
        ns.Ip("link", "set", Device, "up");
        ns.Exec("bridge", "fdb", "append", peerMac, "dev", Device, "dst", peerUnderlay, "port", peerPort.ToString(CultureInfo.InvariantCulture), "self", "permanent");
        ns.Ip("neigh", "replace", peerUnderlay, "lladdr", peerMac, "dev", Device, "nud", "permanent");
        ns.Ip("route", "add", remoteSubnet, "via", peerUnderlay, "dev", Device, "onlink");
        ns.EnableForwarding();
    }

    /// <summary>The address the node's own packets leave from: its WAN address when it has one (the exposed gateway), else its LAN address.</summary>
    private static string LocalUnderlay(LabNode node) =>
        node.Namespace.TryExec("ip", "-4", "-o", "addr", "show", "dev", "wan").StandardOutput is { Length: > 0 } wan && wan.Contains("inet ", StringComparison.Ordinal)
            ? wan.Split("inet ")[1].Split('/')[0]
            : node.PrivateIp;

    public ValueTask DisposeAsync()
    {
        foreach (var ns in _configured)
        {
            ns.TryExec("ip", "link", "del", Device);
        }

        return ValueTask.CompletedTask;
    }
}
