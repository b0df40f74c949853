using Raven.Agent.Planning;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

public class PlannerRoleTests
{
    private static Raven.Api.V1Beta1.Gateway Domain(bool withTunnel = true) =>
        Gateway("g1", withTunnel ? TunnelEndpoint("gw", "203.0.113.1") : null,
            Node("gw", "10.0.0.1", "10.244.0.0/24"), Node("w1", "10.0.0.2", "10.244.1.0/24"));

    [Fact]
    public void A_node_in_no_gateway_is_NotInDomain_with_an_empty_plan()
    {
        var plan = Plan("stranger", Domain());

        plan.Role.Should().Be(PlanRole.NotInDomain);
        plan.GatewayName.Should().BeNull();
        plan.Vxlan.Should().BeNull();
        plan.Tunnel.Should().BeNull();
        plan.Routes.Should().BeEmpty();
        plan.Rules.Should().BeEmpty();
        plan.Chains.Should().BeEmpty();
        plan.IpSets.Should().BeEmpty();
    }

    [Fact]
    public void The_active_tunnel_endpoint_node_is_the_TunnelGateway() =>
        Plan("gw", Domain()).Role.Should().Be(PlanRole.TunnelGateway);

    [Fact]
    public void Another_node_of_the_domain_is_a_DomainMember() =>
        Plan("w1", Domain()).Role.Should().Be(PlanRole.DomainMember);

    [Fact]
    public void L3_switched_off_gives_Disabled_and_no_state()
    {
        var plan = Plan("gw", Options with { EnableL3Tunnel = false }, Domain());

        plan.Role.Should().Be(PlanRole.Disabled);
        plan.GatewayName.Should().Be("g1");
        plan.Tunnel.Should().BeNull();
        plan.Routes.Should().BeEmpty();
    }

    [Fact]
    public void A_domain_without_an_active_tunnel_endpoint_is_Disabled_with_a_reason()
    {
        var plan = Plan("w1", Domain(withTunnel: false));

        plan.Role.Should().Be(PlanRole.Disabled);
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/g1" && d.Message.Contains("no active tunnel endpoint"));
    }

    [Fact]
    public void A_member_whose_gateway_node_is_missing_from_status_is_Disabled()
    {
        var gateway = Gateway("g1", TunnelEndpoint("ghost", "203.0.113.1"), Node("w1", "10.0.0.2", "10.244.1.0/24"));

        var plan = Plan("w1", gateway);

        plan.Role.Should().Be(PlanRole.Disabled);
        plan.Diagnostics.Should().Contain(d => d.Message.Contains("ghost"));
    }

    [Fact]
    public void A_node_listed_by_two_gateways_uses_the_lowest_name_and_says_so()
    {
        var other = Gateway("a-other", TunnelEndpoint("x", "203.0.113.2"), Node("x", "10.1.0.1"), Node("w1", "10.0.0.2"));

        var plan = Plan("w1", Domain(), other);

        plan.GatewayName.Should().Be("a-other");
        plan.Diagnostics.Should().Contain(d => d.Subject == "node/w1" && d.Message.Contains("several gateways"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("yes", false)]
    [InlineData(null, false)]
    public void L3_switch_is_read_from_the_active_tunnel_endpoint_config(string? value, bool expected)
    {
        var gateway = Domain();
        gateway.Status.ActiveEndpoints![0].Config!.Remove("enable-l3-tunnel");
        if (value is not null)
        {
            gateway.Status.ActiveEndpoints[0].Config!["enable-l3-tunnel"] = value;
        }

        PlannerOptions.L3EnabledIn(gateway).Should().Be(expected);
        PlannerOptions.L3EnabledIn(null).Should().BeFalse();
    }
}
