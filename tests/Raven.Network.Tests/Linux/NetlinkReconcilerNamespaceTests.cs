using System.Net;
using Raven.Agent.Linux;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Linux;

/// <summary>The reconciler converges on the desired state and a second pass over the same state sends nothing.</summary>
public sealed class NetlinkReconcilerNamespaceTests : IDisposable
{
    private static readonly MacAddress Gw2Mac = MacAddress.Parse("aa:0f:f0:00:02:02");
    private static readonly MacAddress Gw3Mac = MacAddress.Parse("aa:0f:f0:00:02:03");

    private readonly TestNamespace _ns = TestNamespace.Create("nl");
    private readonly RtNetlink _netlink;
    private readonly NetlinkReconciler _reconciler;

    public NetlinkReconcilerNamespaceTests()
    {
        _netlink = RtNetlink.OpenInNamespace(_ns.Name);
        _reconciler = new NetlinkReconciler(_netlink);
    }

    public void Dispose()
    {
        _netlink.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void Applying_the_same_desired_state_twice_sends_zero_change_requests_the_second_time()
    {
        Apply(mtu: 1450, tableRoutes: 2);
        long afterFirst = _netlink.ChangeRequests;

        Apply(mtu: 1450, tableRoutes: 2);

        afterFirst.Should().BeGreaterThan(10, "the first pass builds everything");
        _netlink.ChangeRequests.Should().Be(afterFirst, "nothing differs on the second pass");
        _ns.Ip("route", "show", "table", "9027").Should().Contain("198.51.100.0/26 via 240.0.2.2 dev raven0 proto static onlink mtu 1400")
            .And.Contain("198.51.100.64/26 via 240.0.2.3 dev raven0 proto static onlink mtu 1400");
        _ns.Exec("bridge", "fdb", "show", "dev", "raven0").Should().Contain("00:00:00:00:00:00 dst 192.0.2.2 self permanent")
            .And.Contain("00:00:00:00:00:00 dst 192.0.2.3 self permanent");
    }

    [Fact]
    public void A_changed_desired_state_sends_only_the_differences()
    {
        Apply(mtu: 1450, tableRoutes: 2);
        long before = _netlink.ChangeRequests;

        Apply(mtu: 1400, tableRoutes: 1);

        // One MTU change on raven0, one route removed.
        (_netlink.ChangeRequests - before).Should().Be(2);
        _netlink.GetLink("raven0").Mtu.Should().Be(1400);
        _netlink.ListRoutes(9027).Should().ContainSingle();
    }

    [Fact]
    public void Vxlan_with_different_identity_is_recreated_and_foreign_rules_survive()
    {
        _ns.Ip("rule", "add", "from", "203.0.113.0/24", "lookup", "main", "pref", "500");
        Apply(mtu: 1450, tableRoutes: 1);
        int oldIndex = _netlink.GetLink("raven0").Index;

        var link = _reconciler.EnsureVxlan(new VxlanLinkSpec("raven0", 201, IPAddress.Parse("192.0.2.1"), 4472) { Mtu = 1450 });

        link.Index.Should().NotBe(oldIndex);
        link.Vxlan!.Vni.Should().Be(201);
        _ns.Ip("rule", "show").Should().Contain("500:\tfrom 203.0.113.0/24 lookup main");
    }

    private void Apply(int mtu, int tableRoutes)
    {
        var underlay = _reconciler.EnsureBridge("rvbr0", mtu: 1500);
        _reconciler.SyncAddresses(underlay.Index, [new NetAddress(underlay.Index, IPAddress.Parse("192.0.2.1"), 24)]);
        var vxlan = _reconciler.EnsureVxlan(new VxlanLinkSpec("raven0", 200, IPAddress.Parse("192.0.2.1"), 4472) { ParentIndex = underlay.Index, Mtu = mtu });
        _reconciler.SyncAddresses(vxlan.Index, [new NetAddress(vxlan.Index, IPAddress.Parse("240.0.2.1"), 8) { Scope = RouteScope.Link }]);

        var routes = new[]
        {
            TableRoute("198.51.100.0/26", "240.0.2.2", vxlan.Index),
            TableRoute("198.51.100.64/26", "240.0.2.3", vxlan.Index),
        };
        _reconciler.SyncRoutes(9027, routes.Take(tableRoutes));
        _reconciler.SyncRules([new NetRule(100, 9027) { FwMark = 0x40, FwMask = 0x40 }], [9027]);
        _reconciler.SyncArp(vxlan.Index,
        [
            new NetNeighbor(NeighborFamily.Inet, vxlan.Index, IPAddress.Parse("240.0.2.2"), Gw2Mac),
            new NetNeighbor(NeighborFamily.Inet, vxlan.Index, IPAddress.Parse("240.0.2.3"), Gw3Mac),
        ]);
        _reconciler.SyncFdb(vxlan.Index,
        [
            Fdb(vxlan.Index, MacAddress.Zero, "192.0.2.2"),
            Fdb(vxlan.Index, MacAddress.Zero, "192.0.2.3"),
            Fdb(vxlan.Index, Gw2Mac, "192.0.2.2"),
            Fdb(vxlan.Index, Gw3Mac, "192.0.2.3"),
        ]);
    }

    private static NetRoute TableRoute(string destination, string gateway, int device) =>
        new(IPNetwork.Parse(destination)) { Table = 9027, Gateway = IPAddress.Parse(gateway), OutputInterface = device, Mtu = 1400, OnLink = true };

    private static NetNeighbor Fdb(int device, MacAddress mac, string remote) =>
        new(NeighborFamily.Bridge, device, IPAddress.Parse(remote), mac) { State = NeighborState.Permanent | NeighborState.NoArp, Flags = NeighborFlags.Self };
}
