using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;

namespace Raven.Controller.Tests.Election;

public class ElectionTests
{
    private static readonly FeatureSwitches Both = new(Tunnel: true, Proxy: true);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static NodeFacts Node(string name, bool ready = true, bool? agent = null) => new(name, ready, agent, "10.0.0.1", ["10.244.0.0/24"]);

    private static Endpoint Ep(string node, string type) => new() { NodeName = node, Type = type, Port = type == "proxy" ? 10262 : 4500 };

    private static Gateway Gateway(int proxy, int tunnel, Endpoint[] spec, params Endpoint[] actives) => new()
    {
        Metadata = new() { Name = "gw", Generation = 1 },
        Spec = new GatewaySpec
        {
            ProxyConfig = new() { Replicas = proxy },
            TunnelConfig = new() { Replicas = tunnel },
            Endpoints = [.. spec],
        },
        Status = new GatewayStatus { ActiveEndpoints = actives.Length == 0 ? null : [.. actives] },
    };

    private static List<string> Elected(Gateway gateway, FeatureSwitches? switches = null, params NodeFacts[] nodes) =>
        GatewayStatusBuilder.Decide(gateway, nodes, switches ?? Both, Now).Status.ActiveEndpoints?.Select(e => $"{e.NodeName}/{e.Type}").ToList() ?? [];

    [Fact]
    public void Lost_active_endpoint_when_its_node_is_not_ready()
    {
        var gw = Gateway(1, 1, [Ep("n1", "tunnel"), Ep("n1", "proxy")], Ep("n1", "tunnel"), Ep("n1", "proxy"));

        Elected(gw, null, Node("n1", ready: false)).Should().BeEmpty();
    }

    [Fact]
    public void Switch_to_the_next_ready_node()
    {
        var gw = Gateway(2, 1, [Ep("n1", "tunnel"), Ep("n1", "proxy"), Ep("n2", "tunnel"), Ep("n2", "proxy")], Ep("n1", "tunnel"), Ep("n1", "proxy"));

        Elected(gw, null, Node("n1", ready: false), Node("n2")).Should().Equal("n2/tunnel", "n2/proxy");
    }

    [Fact]
    public void Elect_new_proxies_while_no_tunnel_is_eligible()
    {
        var gw = Gateway(2, 1, [Ep("n1", "tunnel"), Ep("n2", "proxy"), Ep("n3", "proxy")], Ep("n1", "tunnel"), Ep("n2", "proxy"));

        Elected(gw, null, Node("n1", ready: false), Node("n2"), Node("n3")).Should().Equal("n2/proxy", "n3/proxy");
    }

    [Fact]
    public void No_available_endpoint()
    {
        var gw = Gateway(2, 1, [Ep("n1", "tunnel"), Ep("n2", "tunnel"), Ep("n3", "proxy"), Ep("n4", "proxy")], Ep("n1", "tunnel"), Ep("n3", "proxy"));

        var decision = GatewayStatusBuilder.Decide(gw, [Node("n1", false), Node("n2", false), Node("n3", false), Node("n4", false)], Both, Now);

        decision.Status.ActiveEndpoints.Should().BeNull();
        decision.Events.Should().HaveCount(2).And.OnlyContain(e => e.Warning && e.Reason == WellKnown.EventActiveEndpointLost);
        decision.Status.Conditions!.Single(c => c.Type == "Ready").Status.Should().Be("False");
    }

    [Fact]
    public void Losing_one_of_two_proxy_replicas_replaces_only_that_one()
    {
        var gw = Gateway(2, 0, [Ep("n1", "proxy"), Ep("n2", "proxy"), Ep("n3", "proxy")], Ep("n1", "proxy"), Ep("n2", "proxy"));

        Elected(gw, null, Node("n1", ready: false), Node("n2"), Node("n3")).Should().Equal("n2/proxy", "n3/proxy");
    }

    [Fact]
    public void Do_not_switch_away_from_a_still_eligible_active_endpoint()
    {
        var gw = Gateway(1, 1, [Ep("n1", "tunnel"), Ep("n2", "tunnel"), Ep("n2", "proxy")], Ep("n2", "tunnel"), Ep("n2", "proxy"));

        Elected(gw, null, Node("n1"), Node("n2")).Should().Equal("n2/tunnel", "n2/proxy");
    }

    [Fact]
    public void Missing_raven_cfg_elects_nothing_and_a_disabled_type_is_not_elected()
    {
        var gw = Gateway(1, 1, [Ep("n1", "tunnel"), Ep("n1", "proxy")]);

        Elected(gw, FeatureSwitches.FromConfigMap(null), Node("n1")).Should().BeEmpty();
        Elected(gw, FeatureSwitches.FromConfigMap(new Dictionary<string, string> { ["enable-l3-tunnel"] = "TRUE", ["enable-l7-proxy"] = "false" }), Node("n1"))
            .Should().Equal("n1/tunnel");
    }

    [Fact]
    public void Shrinking_replicas_keeps_the_first_in_spec_order()
    {
        var gw = Gateway(1, 0, [Ep("n3", "proxy"), Ep("n1", "proxy"), Ep("n2", "proxy")], Ep("n2", "proxy"), Ep("n1", "proxy"));

        Elected(gw, null, Node("n1"), Node("n2"), Node("n3")).Should().Equal("n1/proxy");
    }

    [Fact]
    public void An_expired_agent_lease_makes_a_ready_node_ineligible()
    {
        var gw = Gateway(0, 1, [Ep("n1", "tunnel"), Ep("n2", "tunnel")], Ep("n1", "tunnel"));

        Elected(gw, null, Node("n1", ready: true, agent: false), Node("n2", agent: true)).Should().Equal("n2/tunnel");
    }

    [Fact]
    public void Active_endpoints_are_refreshed_copies_of_spec_with_feature_flags()
    {
        var spec = Ep("n1", "tunnel");
        spec.PublicIP = "203.0.113.9";
        spec.Config = new() { ["publicKey"] = "abc" };
        var gw = Gateway(0, 1, [spec], Ep("n1", "tunnel"));

        var active = GatewayStatusBuilder.Decide(gw, [Node("n1")], Both, Now).Status.ActiveEndpoints!.Single();

        active.PublicIP.Should().Be("203.0.113.9");
        active.Config.Should().Contain("publicKey", "abc").And.Contain("enable-l3-tunnel", "true");
        spec.Config.Should().NotContainKey("enable-l3-tunnel", "spec is never modified");
    }

    [Fact]
    public void Status_nodes_list_every_member_sorted_and_extra_cidrs_go_to_the_tunnel_node()
    {
        var gw = Gateway(0, 1, [Ep("b", "tunnel")]);
        gw.Metadata.Annotations = new() { [WellKnown.ExtraAllowedSourceCidrsAnnotation] = "192.0.2.1/32, bogus ,198.51.100.0/24" };

        var decision = GatewayStatusBuilder.Decide(gw, [Node("c", ready: false), Node("b"), Node("a")], Both, Now);

        decision.Status.Nodes!.Select(n => n.NodeName).Should().Equal("a", "b", "c");
        decision.Status.Nodes![1].Subnets.Should().Equal("10.244.0.0/24", "192.0.2.1/32", "198.51.100.0/24");
        decision.Problems.Should().ContainSingle(p => p.Contains("bogus"));
    }

    [Fact]
    public void Events_fire_only_when_the_active_set_changes()
    {
        var gw = Gateway(0, 1, [Ep("n1", "tunnel")]);
        var first = GatewayStatusBuilder.Decide(gw, [Node("n1")], Both, Now);
        gw.Status = first.Status;

        var second = GatewayStatusBuilder.Decide(gw, [Node("n1")], Both, Now.AddMinutes(1));

        first.Events.Should().ContainSingle(e => e.Reason == WellKnown.EventActiveEndpointElected);
        second.Events.Should().BeEmpty();
        second.ChangesStatusOf(gw).Should().BeFalse("the same inputs produce the same status, transition times included");
    }

    [Fact]
    public void Election_does_not_depend_on_node_input_order()
    {
        var gw = Gateway(2, 1, [Ep("n1", "tunnel"), Ep("n2", "proxy"), Ep("n3", "proxy"), Ep("n4", "proxy")]);
        NodeFacts[] nodes = [Node("n1"), Node("n2"), Node("n3"), Node("n4")];

        Elected(gw, null, nodes).Should().Equal(Elected(gw, null, [.. nodes.Reverse()]));
    }
}
