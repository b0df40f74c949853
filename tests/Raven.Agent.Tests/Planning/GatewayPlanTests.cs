using Raven.Agent.Planning;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

public class GatewayPlanTests
{
    private readonly NetworkPlan plan = Plan("cloud-gw", CloudAndTwoNatedEdges(secondEdgeDialable: true));

    [Fact]
    public void The_hub_has_one_fdb_and_neighbour_entry_and_route_per_member()
    {
        plan.Vxlan!.Fdb.Should().Equal(new FdbEntry("cloud-w1", "aa:0f:fc:10:00:0b", Ip("172.16.0.11")));
        plan.Vxlan.Neighbors.Should().Equal(new NeighborEntry("cloud-w1", Ip("252.16.0.11"), "aa:0f:fc:10:00:0b"));
        plan.Routes.Where(r => r.Table == 9027).Should().Equal(
            new PlannedRoute(9027, C("10.244.1.0/24"), "raven0", Ip("252.16.0.11"), true, 1440));
    }

    [Fact]
    public void Remote_cidrs_go_into_raven_wg0_from_table_9028()
    {
        plan.Rules.Should().Equal(new PolicyRule(100, 9027, 0x40, 0x40), new PolicyRule(101, 9028, null, null));
        plan.Routes.Where(r => r.Table == 9028).Should().Equal(
            new PlannedRoute(9028, C("10.244.10.0/23"), "raven-wg0", null, false, 1440),
            new PlannedRoute(9028, C("10.244.20.0/23"), "raven-wg0", null, false, 1440));
    }

    [Fact]
    public void Each_remote_gateway_is_a_direct_peer_with_its_merged_subnets()
    {
        var wg = plan.Tunnel!;

        wg.Device.Should().Be("raven-wg0");
        wg.ListenPort.Should().Be(4500);
        wg.Mtu.Should().Be(1440);
        var local = new[] { C("10.244.0.0/23") }.ToValueList();
        wg.Backend.Should().Be("wireguard");
        wg.LocalCidrs.Should().Equal(local);
        wg.Peers.Should().Equal(
            new TunnelPeer("edge1", "edge1-gw", null, local, new[] { C("10.244.10.0/23") }.ToValueList(), 5, RelayRole.Direct,
                new[] { "edge1" }.ToValueList(), ActiveConfig("edge1-gw")) { UnderNat = true },
            new TunnelPeer("edge2", "edge2-gw", new PeerEndpoint(Ip("198.51.100.30"), 4500), local,
                new[] { C("10.244.20.0/23") }.ToValueList(), null, RelayRole.Direct, new[] { "edge2" }.ToValueList(), ActiveConfig("edge2-gw")));
    }

    [Fact]
    public void The_gateway_marks_traffic_from_remote_domains_and_skips_nat_for_domain_pairs()
    {
        plan.Chains.Single(c => c.Name == "RAVEN-MARK-CHAIN").Rules.Single().Match.Set
            .Should().Be(new SetMatch("raven-mark-set", SetMatchDirection.Source));
        var skipNat = plan.IpSets.Single(s => s.Name == "raven-skip-nat-set");
        skipNat.Type.Should().Be(IpSetType.HashNetNet);
        skipNat.Entries.Select(e => e.ToString()).Should().Equal(
            "10.244.0.0/23,10.244.10.0/23", "10.244.0.0/23,10.244.20.0/23",
            "10.244.10.0/23,10.244.0.0/23", "10.244.20.0/23,10.244.0.0/23");
        var nat = plan.Chains.Single(c => c.Name == "RAVEN-POSTROUTING");
        nat.Table.Should().Be(FirewallTable.Nat);
        nat.Hooks.Should().Equal(new ChainHook("POSTROUTING", "raven traffic should skip NAT"));
        nat.Rules.Single().Action.Should().Be(new AcceptAction());
    }

    [Fact]
    public void Tcp_mss_is_clamped_to_the_route_mtu_minus_40_both_ways_through_the_tunnel()
    {
        var mss = plan.Chains.Single(c => c.Name == "RAVEN-MSS-CHAIN");

        mss.Table.Should().Be(FirewallTable.Mangle);
        mss.Hooks.Select(h => h.BuiltinChain).Should().Equal("FORWARD");
        mss.Rules.Should().HaveCount(2).And.OnlyContain(r => r.Action == new ClampMssAction(1400) && r.Match.TcpSynOnly);
        mss.Rules.Select(r => r.Match.InInterface ?? r.Match.OutInterface).Should().Equal("raven-wg0", "raven-wg0");
        plan.Sysctls.Should().Contain(new SysctlSetting("net.ipv4.ip_forward", "1"));
    }

    [Fact]
    public void A_gateway_alone_in_its_domain_has_wireguard_but_no_vxlan()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[0].Status.Nodes!.RemoveAt(1);

        var alone = Plan("cloud-gw", gateways);

        alone.Vxlan.Should().BeNull();
        alone.Rules.Should().Equal(new PolicyRule(101, 9028, null, null));
        alone.Chains.Should().NotContain(c => c.Name == "RAVEN-MARK-CHAIN");
        alone.Tunnel!.Peers.Should().HaveCount(2);
    }

    [Fact]
    public void Ipv6_public_addresses_lower_the_tunnel_mtu()
    {
        var gateways = CloudAndTwoNatedEdges(secondEdgeDialable: true);
        gateways[2].Status.ActiveEndpoints![0].PublicIP = "2001:db8::30";

        var v6 = Plan("cloud-gw", gateways);

        v6.Mtu.Should().Be(new MtuPlan(1420, 1420, 1420, 1380));
        v6.Tunnel!.Peers.Single(p => p.GatewayName == "edge2").Endpoint.Should().Be(new PeerEndpoint(Ip("2001:db8::30"), 4500));
    }
}
