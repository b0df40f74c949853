using Raven.Agent.Planning;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

public class PlanInputTests
{
    [Fact]
    public void Forward_node_ip_adds_every_node_ip_as_a_host_route()
    {
        var options = Options with { ForwardNodeIp = true };

        var gateway = Plan("cloud-gw", options, CloudAndTwoNatedEdges(secondEdgeDialable: true));
        var member = Plan("cloud-w1", options, CloudAndTwoNatedEdges(secondEdgeDialable: true));

        gateway.Tunnel!.Peers.Single(p => p.GatewayName == "edge1").RemoteCidrs.Select(c => c.ToString())
            .Should().Equal("10.244.10.0/23", "192.168.1.10/31");
        gateway.Routes.Should().Contain(new PlannedRoute(9027, C("172.16.0.11/32"), "raven0", Ip("252.16.0.11"), true, 1440));
        member.IpSets.Single().Entries.Select(e => e.ToString()).Should().Contain(["192.168.1.10/31", "192.168.2.10/31"]);
        Plan("cloud-gw", CloudAndTwoNatedEdges(secondEdgeDialable: true)).Routes
            .Should().NotContain(r => r.Destination.PrefixLength == 32);
    }

    [Fact]
    public void Nodes_differing_only_in_the_first_octet_both_get_vxlan_entries()
    {
        var gateway = Gateway("g", TunnelEndpoint("gw", "203.0.113.1"),
            Node("gw", "10.0.0.1", "10.244.0.0/24"), Node("n10", "10.0.0.5", "10.244.1.0/24"), Node("n11", "11.0.0.5", "10.244.2.0/24"));

        var plan = Plan("gw", gateway);

        plan.Vxlan!.Neighbors.Select(n => n.Address.ToString()).Should().Equal("250.0.0.5", "251.0.0.5");
        plan.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void A_colliding_member_is_reported_and_left_out_while_the_rest_keeps_working()
    {
        var gateway = Gateway("g", TunnelEndpoint("gw", "203.0.113.1"),
            Node("gw", "10.0.0.1", "10.244.0.0/24"), Node("a", "10.0.0.5", "10.244.1.0/24"), Node("b", "26.0.0.5", "10.244.2.0/24"));

        var plan = Plan("gw", gateway);

        plan.Vxlan!.Fdb.Select(f => f.NodeName).Should().Equal("a");
        plan.Routes.Where(r => r.Table == 9027).Select(r => r.Destination.ToString()).Should().Equal("10.244.1.0/24");
        plan.Diagnostics.Should().ContainSingle(d => d.Message.Contains("collides with node a"));
    }

    [Fact]
    public void Bad_fields_are_skipped_with_diagnostics_and_never_throw()
    {
        var broken = Gateway("broken", TunnelEndpoint("b-gw", "not-an-ip"),
            Node("b-gw", "192.168.9.1", "10.244.90.0/24", "10.244.91.0/33", "garbage"), Node("b-w1", "nope", "10.244.92.0/24"),
            new NodeInfo { NodeName = "", PrivateIP = "192.168.9.3" });
        var gateways = CloudAndTwoNatedEdges(secondEdgeDialable: true).Append(broken).Append(new Gateway()).ToArray();

        var plan = Plan("cloud-gw", gateways);

        plan.Role.Should().Be(PlanRole.TunnelGateway);
        plan.Diagnostics.Select(d => d.ToString()).Should().Contain(d => d.Contains("10.244.91.0/33"))
            .And.Contain(d => d.Contains("\"garbage\""))
            .And.Contain(d => d.Contains("b-w1") && d.Contains("nope"))
            .And.Contain(d => d.Contains("not-an-ip"))
            .And.Contain(d => d.Contains("without nodeName"))
            .And.Contain(d => d.Contains("without a name"));
        plan.Paths.Single(p => p.Gateway == "broken").Cidrs.Select(c => c.ToString()).Should().Equal("10.244.90.0/24");
        plan.Tunnel!.Peers.Single(p => p.GatewayName == "broken").Endpoint.Should().BeNull();
    }

    [Fact]
    public void Local_internal_ip_disagreeing_with_status_is_reported_and_status_wins()
    {
        var plan = new Planner().Plan(CloudAndTwoNatedEdges(), new LocalNode("cloud-w1", Ip("172.16.99.99")), Options);

        plan.Vxlan!.LocalIp.Should().Be(Ip("172.16.0.11"));
        plan.Diagnostics.Should().Contain(d => d.Subject == "node/cloud-w1" && d.Message.Contains("172.16.99.99"));
    }

    [Fact]
    public void The_gateway_node_wins_an_overlay_collision_and_the_colliding_member_is_disabled()
    {
        var gateway = Gateway("g", TunnelEndpoint("z-gw", "203.0.113.1"),
            Node("z-gw", "26.0.0.1", "10.244.0.0/24"), Node("a", "10.0.0.1", "10.244.1.0/24"), Node("b", "10.0.0.2", "10.244.2.0/24"));

        Plan("z-gw", gateway).Vxlan!.Fdb.Select(f => f.NodeName).Should().Equal("b");
        Plan("a", gateway).Role.Should().Be(PlanRole.Disabled);
        Plan("b", gateway).Vxlan!.Neighbors.Single().Address.Should().Be(Ip("250.0.0.1"));
    }

    [Fact]
    public void A_peer_endpoint_inside_a_forwarded_node_ip_is_kept_out_of_the_tunnel_routes()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[0].Status.Nodes![0].PrivateIP = "203.0.113.10";

        var plan = Plan("edge1-gw", Options with { ForwardNodeIp = true }, gateways);

        plan.Routes.Where(r => r.Table == 9028).Should().NotContain(r => r.Destination.Contains(Ip("203.0.113.10")));
        plan.Tunnel!.Peers.Single().RemoteCidrs.Should().Contain(C("203.0.113.10/32"));
        plan.Diagnostics.Should().Contain(d => d.Message.Contains("peer endpoint 203.0.113.10"));
    }

    [Theory]
    [InlineData(600, 4500, 4472, 200, 5, "UnderlayMtu")]
    [InlineData(1500, 0, 4472, 200, 5, "VpnListenPort")]
    [InlineData(1500, 4500, 70000, 200, 5, "VxlanPort")]
    [InlineData(1500, 4500, 4472, 1 << 24, 5, "VxlanVni")]
    [InlineData(1500, 4500, 4472, 200, -1, "KeepaliveSeconds")]
    public void Bad_agent_options_fail_naming_the_setting(int mtu, int listen, int vxlanPort, int vni, int keepalive, string name)
    {
        var options = Options with { UnderlayMtu = mtu, VpnListenPort = listen, VxlanPort = vxlanPort, VxlanVni = vni, KeepaliveSeconds = keepalive };

        var act = () => Plan("cloud-gw", options, CloudAndTwoNatedEdges());

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
    }
}
