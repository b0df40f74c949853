using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Netfilter;
using Raven.Agent.Linux.Processes;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Linux;

/// <summary>
/// End to end: state written only through <see cref="NetlinkReconciler"/> carries traffic. A marked packet on the
/// non-gateway node follows rule fwmark 0x40/0x40 into table 9027, leaves through raven0 onlink, is encapsulated
/// using the permanent ARP and all-zero FDB entries, and reaches a "pod" address behind the gateway.
/// </summary>
public sealed class VxlanDatapathNamespaceTests : IDisposable
{
    private static readonly MacAddress NodeMac = MacAddress.Parse("aa:0f:f0:00:02:01");
    private static readonly MacAddress GatewayMac = MacAddress.Parse("aa:0f:f0:00:02:02");

    private readonly TestNamespace _node = TestNamespace.Create("dp");
    private readonly TestNamespace _gateway = TestNamespace.Create("dp");

    public void Dispose()
    {
        _node.Dispose();
        _gateway.Dispose();
    }

    [Fact]
    public void Marked_traffic_reaches_the_remote_subnet_through_the_reconciled_vxlan()
    {
        TestNamespace.CreateVethPair(_node, "rvu0", _gateway, "rvu0");
        using (var gateway = RtNetlink.OpenInNamespace(_gateway.Name))
        {
            var reconciler = new NetlinkReconciler(gateway);
            var vxlan = BuildVtep(reconciler, "192.0.2.2", "240.0.2.2", GatewayMac, peerUnderlay: "192.0.2.1", peerOverlay: "240.0.2.1", NodeMac);
            var pods = reconciler.EnsureBridge("rvpod0");
            reconciler.SyncAddresses(pods.Index, [new NetAddress(pods.Index, IPAddress.Parse("198.51.100.129"), 26)]);
            vxlan.AdminUp.Should().BeTrue();
        }

        using (var node = RtNetlink.OpenInNamespace(_node.Name))
        {
            var reconciler = new NetlinkReconciler(node);
            var vxlan = BuildVtep(reconciler, "192.0.2.1", "240.0.2.1", NodeMac, peerUnderlay: "192.0.2.2", peerOverlay: "240.0.2.2", GatewayMac);
            reconciler.SyncRoutes(9027,
            [
                new NetRoute(IPNetwork.Parse("198.51.100.128/26"))
                {
                    Table = 9027, Gateway = IPAddress.Parse("240.0.2.2"), OutputInterface = vxlan.Index, OnLink = true, Mtu = 1400,
                },
            ]);
            reconciler.SyncRules([new NetRule(100, 9027) { FwMark = 0x40, FwMask = 0x40 }], [9027]);
        }

        var unmarked = _node.TryExec("ping", "-c", "1", "-W", "2", "198.51.100.129");
        var marked = _node.TryExec("ping", "-c", "3", "-i", "0.2", "-W", "2", "-m", "64", "198.51.100.129");

        unmarked.ExitCode.Should().NotBe(0, "without the mark no rule sends the packet to table 9027");
        marked.ExitCode.Should().Be(0, $"the marked ping must cross the tunnel: {marked.StandardOutput}{marked.StandardError}");
        marked.StandardOutput.Should().Contain("3 received");
    }

    [Fact]
    public async Task Default_route_in_table_9027_needs_the_unmark_chain_to_keep_the_outer_packet_out_of_the_tunnel()
    {
        TestNamespace.CreateVethPair(_node, "rvu0", _gateway, "rvu0");
        using (var gateway = RtNetlink.OpenInNamespace(_gateway.Name))
        {
            var reconciler = new NetlinkReconciler(gateway);
            BuildVtep(reconciler, "192.0.2.2", "240.0.2.2", GatewayMac, peerUnderlay: "192.0.2.1", peerOverlay: "240.0.2.1", NodeMac);
            var pods = reconciler.EnsureBridge("rvpod0");
            reconciler.SyncAddresses(pods.Index, [new NetAddress(pods.Index, IPAddress.Parse("198.51.100.129"), 26)]);
        }

        using (var node = RtNetlink.OpenInNamespace(_node.Name))
        {
            // Upstream's non-gateway table: one default route to the gateway's overlay address.
            var reconciler = new NetlinkReconciler(node);
            var vxlan = BuildVtep(reconciler, "192.0.2.1", "240.0.2.1", NodeMac, peerUnderlay: "192.0.2.2", peerOverlay: "240.0.2.2", GatewayMac);
            reconciler.SyncRoutes(9027,
            [
                new NetRoute(IPNetwork.Parse("0.0.0.0/0")) { Table = 9027, Gateway = IPAddress.Parse("240.0.2.2"), OutputInterface = vxlan.Index, OnLink = true, Mtu = 1400 },
            ]);
            reconciler.SyncRules([new NetRule(100, 9027) { FwMark = 0x40, FwMask = 0x40 }], [9027]);
        }

        var looping = _node.TryExec("ping", "-c", "1", "-W", "2", "-m", "64", "198.51.100.129");
        var runner = new ProcessCommandRunner(_node.Name);
        var applier = new NetfilterApplier(runner, await IptablesTool.DetectAsync(runner));
        await applier.ApplyAsync(RavenNetfilter.Render(
            [Raven.Agent.Planning.FirewallRules.MarkSet([Raven.Api.Net.Cidr.Parse("198.51.100.128/26")])],
            [Raven.Agent.Planning.FirewallRules.MarkChain(Raven.Agent.Planning.SetMatchDirection.Destination), RavenNetfilter.UnmarkChainFor("raven0")],
            hashNetNetSupported: true));
        var working = _node.TryExec("ping", "-c", "3", "-i", "0.2", "-W", "2", "-m", "64", "198.51.100.129");

        looping.ExitCode.Should().NotBe(0, "the still-marked outer VXLAN packet is routed back into raven0");
        working.ExitCode.Should().Be(0, $"with the mark cleared on raven0 the outer packet takes the main table: {working.StandardOutput}{working.StandardError}");
    }

    private static NetLink BuildVtep(
        NetlinkReconciler reconciler, string underlay, string overlay, MacAddress mac, string peerUnderlay, string peerOverlay, MacAddress peerMac)
    {
        var uplink = reconciler.Netlink.GetLink("rvu0");
        reconciler.Netlink.SetLinkUp(uplink.Index, true);
        reconciler.SyncAddresses(uplink.Index, [new NetAddress(uplink.Index, IPAddress.Parse(underlay), 24)]);
        var vxlan = reconciler.EnsureVxlan(new VxlanLinkSpec("raven0", 200, IPAddress.Parse(underlay), 4472)
        {
            ParentIndex = uplink.Index, Mtu = 1450, Mac = mac,
        });
        reconciler.SyncAddresses(vxlan.Index, [new NetAddress(vxlan.Index, IPAddress.Parse(overlay), 8) { Scope = RouteScope.Link }]);
        reconciler.SyncArp(vxlan.Index, [new NetNeighbor(NeighborFamily.Inet, vxlan.Index, IPAddress.Parse(peerOverlay), peerMac)]);
        reconciler.SyncFdb(vxlan.Index,
        [
            new NetNeighbor(NeighborFamily.Bridge, vxlan.Index, IPAddress.Parse(peerUnderlay), MacAddress.Zero) { State = NeighborState.Permanent | NeighborState.NoArp },
            new NetNeighbor(NeighborFamily.Bridge, vxlan.Index, IPAddress.Parse(peerUnderlay), peerMac) { State = NeighborState.Permanent | NeighborState.NoArp },
        ]);
        return vxlan;
    }
}
