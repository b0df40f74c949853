using System.Net;
using Raven.Agent.Linux;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Linux;

/// <summary>Drives rtnetlink from C# inside a private namespace and checks the kernel state with iproute2.</summary>
public sealed class RtNetlinkNamespaceTests : IDisposable
{
    private static readonly IPAddress Underlay = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.9");
    private static readonly MacAddress PeerMac = MacAddress.Parse("aa:0f:f0:00:02:09");

    private readonly TestNamespace _ns = TestNamespace.Create("nl");
    private readonly RtNetlink _netlink;

    public RtNetlinkNamespaceTests() => _netlink = RtNetlink.OpenInNamespace(_ns.Name);

    public void Dispose()
    {
        _netlink.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void Socket_lives_in_the_namespace_not_in_the_root_namespace()
    {
        _netlink.ListLinks().Select(l => l.Name).Should().Equal("lo");
    }

    [Fact]
    public void Created_bridge_vxlan_addresses_routes_rules_and_neighbours_read_back_with_their_fields()
    {
        _netlink.CreateBridge("rvbr0", mtu: 1500);
        var bridge = _netlink.GetLink("rvbr0");
        _netlink.SetLinkUp(bridge.Index, true);
        _netlink.AddAddress(new NetAddress(bridge.Index, Underlay, 24));
        _netlink.CreateVxlan(new VxlanLinkSpec("raven0", 200, Underlay, 4472) { ParentIndex = bridge.Index, Mtu = 1450, Mac = new MacAddress(0xaa0ff0000201), UdpChecksum = false });
        var vxlan = _netlink.GetLink("raven0");
        _netlink.SetLinkUp(vxlan.Index, true);
        _netlink.AddAddress(new NetAddress(vxlan.Index, IPAddress.Parse("240.0.2.1"), 8) { Scope = RouteScope.Link });
        var route = new NetRoute(IPNetwork.Parse("198.51.100.0/24"))
        {
            Table = 9027, Gateway = IPAddress.Parse("240.0.2.9"), OutputInterface = vxlan.Index, Mtu = 1400, OnLink = true,
        };
        _netlink.AddRoute(route);
        _netlink.AddRule(new NetRule(100, 9027) { FwMark = 0x40, FwMask = 0x40 });
        var arp = new NetNeighbor(NeighborFamily.Inet, vxlan.Index, IPAddress.Parse("240.0.2.9"), PeerMac);
        _netlink.AddNeighbor(arp);
        var fdb = new NetNeighbor(NeighborFamily.Bridge, vxlan.Index, Peer, PeerMac) { State = NeighborState.Permanent | NeighborState.NoArp, Flags = NeighborFlags.Self };
        _netlink.AddNeighbor(fdb, NeighborWriteMode.Append);

        var readVxlan = _netlink.GetLink("raven0");
        readVxlan.Should().Match<NetLink>(l => l.Kind == "vxlan" && l.Mtu == 1450 && l.AdminUp && l.Mac == new MacAddress(0xaa0ff0000201));
        readVxlan.Vxlan.Should().Be(new VxlanAttributes(200, Underlay, null, bridge.Index, 4472, Learning: false) { UdpChecksum = false });
        _netlink.GetLink("rvbr0").Kind.Should().Be("bridge");
        _netlink.ListAddresses().Should().Contain(a => a.InterfaceIndex == vxlan.Index && a.Address.Equals(IPAddress.Parse("240.0.2.1")) && a.PrefixLength == 8 && a.Scope == RouteScope.Link);
        _netlink.ListRoutes(9027).Should().ContainSingle().Which.Should().Be(route);
        _netlink.ListRules().Should().ContainSingle(r => r.Priority == 100).Which.Matches(new NetRule(100, 9027) { FwMark = 0x40, FwMask = 0x40 }).Should().BeTrue();
        _netlink.ListNeighbors(NeighborFamily.Inet, vxlan.Index).Should().Contain(arp);
        _netlink.ListNeighbors(NeighborFamily.Bridge, vxlan.Index).Should().Contain(fdb);

        // iproute2 decodes the same kernel objects independently of our parser.
        _ns.Ip("-d", "link", "show", "raven0").Should().Contain("vxlan id 200 local 192.0.2.1 dev rvbr0").And.Contain("dstport 4472 nolearning");
        _ns.Ip("route", "show", "table", "9027").Should().Contain("198.51.100.0/24 via 240.0.2.9 dev raven0 proto static onlink mtu 1400");
        _ns.Ip("rule", "show").Should().Contain("100:\tfrom all fwmark 0x40/0x40 lookup 9027");
        _ns.Exec("bridge", "fdb", "show", "dev", "raven0").Should().Contain("aa:0f:f0:00:02:09 dst 192.0.2.9 self permanent");
        _ns.Ip("neigh", "show", "dev", "raven0").Should().Contain("240.0.2.9 lladdr aa:0f:f0:00:02:09 PERMANENT");
    }

    [Fact]
    public void Replace_and_delete_change_only_the_named_objects()
    {
        _netlink.CreateBridge("rvbr0");
        var bridge = _netlink.GetLink("rvbr0");
        _netlink.SetLinkUp(bridge.Index, true);
        _netlink.AddAddress(new NetAddress(bridge.Index, Underlay, 24));
        var route = new NetRoute(IPNetwork.Parse("198.51.100.0/24")) { Table = 9027, Gateway = Peer, OutputInterface = bridge.Index };
        _netlink.AddRoute(route);

        _netlink.ReplaceRoute(route with { Mtu = 1380 });
        _netlink.ListRoutes(9027).Should().ContainSingle().Which.Mtu.Should().Be(1380);
        _netlink.SetLinkMtu(bridge.Index, 1400);
        _netlink.GetLink("rvbr0").Mtu.Should().Be(1400);

        _netlink.DeleteRoute(route);
        _netlink.ListRoutes(9027).Should().BeEmpty();
        _netlink.DeleteAddress(new NetAddress(bridge.Index, Underlay, 24));
        _netlink.ListAddresses().Should().NotContain(a => a.InterfaceIndex == bridge.Index);
        _netlink.DeleteLink(bridge.Index);
        _netlink.FindLink("rvbr0").Should().BeNull();
    }

    [Fact]
    public void Kernel_errors_name_the_operation_object_and_errno()
    {
        _netlink.CreateBridge("rvbr0");

        var again = () => _netlink.CreateBridge("rvbr0");
        var badRoute = () => _netlink.DeleteRoute(new NetRoute(IPNetwork.Parse("203.0.113.0/24")) { Table = 9027 });

        again.Should().Throw<NetlinkException>().Where(e => e.Errno == NetlinkException.EExist).WithMessage("create bridge rvbr0: *errno 17*");
        badRoute.Should().Throw<NetlinkException>().Where(e => e.Errno == NetlinkException.ESrch).WithMessage("delete route 203.0.113.0/24 table 9027*");
    }
}
