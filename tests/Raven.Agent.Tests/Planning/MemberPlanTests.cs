using Raven.Agent.Planning;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

public class MemberPlanTests
{
    private readonly NetworkPlan plan = Plan("cloud-w1", CloudAndTwoNatedEdges(secondEdgeDialable: true));

    [Fact]
    public void Raven0_is_a_vxlan_link_towards_the_gateway_only()
    {
        var vxlan = plan.Vxlan!;

        vxlan.Name.Should().Be("raven0");
        vxlan.Vni.Should().Be(200);
        vxlan.Port.Should().Be(4472);
        vxlan.LocalIp.Should().Be(Ip("172.16.0.11"));
        vxlan.Mtu.Should().Be(1440);
        vxlan.Address.Should().Be(new InterfaceAddress(Ip("252.16.0.11"), 4));
        vxlan.Mac.Should().Be("aa:0f:fc:10:00:0b");
        vxlan.ClearMarkOnEgress.Should().BeTrue();
        vxlan.Fdb.Should().Equal(new FdbEntry("cloud-gw", "aa:0f:fc:10:00:0a", Ip("172.16.0.10")));
        vxlan.Neighbors.Should().Equal(new NeighborEntry("cloud-gw", Ip("252.16.0.10"), "aa:0f:fc:10:00:0a"));
    }

    [Fact]
    public void Remote_cidrs_go_to_the_gateway_overlay_address_in_table_9027()
    {
        plan.Routes.Should().Equal(
            new PlannedRoute(9027, C("10.244.10.0/23"), "raven0", Ip("252.16.0.10"), true, 1440),
            new PlannedRoute(9027, C("10.244.20.0/23"), "raven0", Ip("252.16.0.10"), true, 1440));
        plan.Rules.Should().Equal(new PolicyRule(100, 9027, 0x40, 0x40));
    }

    [Fact]
    public void Traffic_to_remote_cidrs_is_marked_with_a_masked_mark()
    {
        plan.IpSets.Should().ContainSingle().Which.Should().Be(new IpSetPlan("raven-mark-set", IpSetType.HashNet,
            new[] { new IpSetEntry(C("10.244.10.0/23")), new IpSetEntry(C("10.244.20.0/23")) }.ToValueList()));
        var chain = plan.Chains.Should().ContainSingle().Subject;
        chain.Table.Should().Be(FirewallTable.Mangle);
        chain.Name.Should().Be("RAVEN-MARK-CHAIN");
        chain.Hooks.Select(h => h.BuiltinChain).Should().Equal("OUTPUT", "PREROUTING");
        chain.Rules.Should().ContainSingle().Which.Should().Match<FirewallRule>(r =>
            r.Match.Set == new SetMatch("raven-mark-set", SetMatchDirection.Destination) &&
            r.Action == new SetMarkAction(0x40, 0x40));
    }

    [Fact]
    public void A_member_has_no_wireguard_and_no_nat_rules()
    {
        plan.Role.Should().Be(PlanRole.DomainMember);
        plan.Tunnel.Should().BeNull();
        plan.IpSets.Should().NotContain(s => s.Name == "raven-skip-nat-set");
        plan.Sysctls.Should().Contain(new SysctlSetting("net.ipv4.conf.raven0.rp_filter", "2"));
    }
}
