using System.Text.Json.Nodes;
using Raven.Api.V1Beta1;
using Raven.Controller.Config;

namespace Raven.Controller.Tests.Config;

public class GatewayConfigPlannerTests
{
    private static RavenConfig Config(params (string Key, string Value)[] data) =>
        RavenConfigParser.Parse(data.ToDictionary(d => d.Key, d => d.Value));

    private static Gateway Live(string name, bool createdByConfig = false, params Endpoint[] endpoints)
    {
        var gateway = new Gateway { Metadata = { Name = name }, Spec = { Endpoints = [.. endpoints] } };
        if (createdByConfig)
        {
            gateway.Metadata.Annotations = new() { [GatewayConfigPlanner.CreatedByAnnotation] = GatewayConfigPlanner.CreatedByValue };
        }

        return gateway;
    }

    [Fact]
    public void Gateway_nodes_give_both_endpoint_types_not_under_nat_when_exposed()
    {
        var actions = GatewayConfigPlanner.Plan(Config(
            ("exposed-gateway", "gw-cloud=LoadBalancer"), ("gateway-nodes", "gw-cloud=cloud-node-1\ngw-edge=edge-node-1")), []);

        actions.Select(a => a.Gateway).Should().Equal("gw-cloud", "gw-edge");
        var cloud = actions[0].Apply!;
        cloud["metadata"]!["annotations"]![GatewayConfigPlanner.CreatedByAnnotation]!.GetValue<string>().Should().Be("raven-cfg");
        cloud["spec"]!["exposeType"]!.GetValue<string>().Should().Be("LoadBalancer");
        cloud["spec"]!["endpoints"]!.ToJsonString().Should().Be(
            """[{"nodeName":"cloud-node-1","type":"tunnel","port":4500},{"nodeName":"cloud-node-1","type":"proxy","port":10262}]""");
        actions[1].Apply!["spec"]!["endpoints"]!.AsArray().Should().OnlyContain(e => e!["underNAT"]!.GetValue<bool>());
        actions[1].Apply!["spec"]!["exposeType"].Should().BeNull();
    }

    [Fact]
    public void Agent_written_endpoint_fields_are_carried_over()
    {
        var live = Live("gw-edge", true, new Endpoint
        {
            NodeName = "edge-node-1", Type = "tunnel", Port = 4500, UnderNAT = true, PublicIP = "203.0.113.7", NATType = "FullCone",
            Config = new() { ["publicKey"] = "k" },
        });

        var endpoints = GatewayConfigPlanner.Plan(Config(("gateway-nodes", "gw-edge=edge-node-1")), [live]).Single().Apply!["spec"]!["endpoints"]!;

        endpoints[0]!["publicIP"]!.GetValue<string>().Should().Be("203.0.113.7");
        endpoints[0]!["natType"]!.GetValue<string>().Should().Be("FullCone");
        endpoints[0]!["config"]!["publicKey"]!.GetValue<string>().Should().Be("k");
    }

    [Fact]
    public void Replicas_and_ports_go_to_every_gateway_within_what_the_webhook_accepts()
    {
        var actions = GatewayConfigPlanner.Plan(Config(("gateway-replicas", "2"), ("l7-proxy-port", "https=10250,9100\nhttp=10255"), ("gateway-nodes", "gw-a=a1,a2")),
            [Live("gw-user", false, new Endpoint { NodeName = "u1", Type = "proxy" })]);

        var a = actions.Single(x => x.Gateway == "gw-a").Apply!["spec"]!;
        a["proxyConfig"]!.ToJsonString().Should().Be("""{"Replicas":2,"proxyHTTPPort":"10255","proxyHTTPSPort":"10250,9100"}""");
        a["tunnelConfig"]!.ToJsonString().Should().Be("""{"Replicas":1}""");
        var user = actions.Single(x => x.Gateway == "gw-user").Apply!;
        user["spec"]!["proxyConfig"]!["Replicas"]!.GetValue<int>().Should().Be(1, "gw-user has one proxy endpoint");
        user["spec"]!["tunnelConfig"]!["Replicas"]!.GetValue<int>().Should().Be(0, "gw-user has no tunnel endpoint to elect");
        user["spec"]!["endpoints"].Should().BeNull("gateway-nodes does not name gw-user: its endpoints stay the user's");
        user["metadata"]!["annotations"].Should().BeNull();
    }

    [Fact]
    public void A_gateway_created_from_a_line_is_deleted_when_the_line_goes_and_others_are_released()
    {
        var actions = GatewayConfigPlanner.Plan(Config(("enable-l7-proxy", "true")), [Live("gw-made", true), Live("gw-user")]);

        actions.Single(a => a.Gateway == "gw-made").Apply.Should().BeNull();
        actions.Single(a => a.Gateway == "gw-user").Apply!.ToJsonString().Should().Be(
            """{"apiVersion":"raven.openyurt.io/v1beta1","kind":"Gateway","metadata":{"name":"gw-user"}}""", "an empty configuration releases every field");
    }

    [Fact]
    public void Applied_fields_need_no_apply_when_live_holds_them_and_nothing_else_is_owned()
    {
        var live = Live("gw", false, new Endpoint { NodeName = "n", Type = "proxy" });
        live.Spec.ExposeType = "PublicIP";
        var body = JsonNode.Parse("""{"apiVersion":"raven.openyurt.io/v1beta1","kind":"Gateway","metadata":{"name":"gw"},"spec":{"exposeType":"PublicIP"}}""")!.AsObject();

        AppliedFields.NeedsApply(live, body, "m").Should().BeFalse();
        body["spec"]!["exposeType"] = "LoadBalancer";
        AppliedFields.NeedsApply(live, body, "m").Should().BeTrue();
        AppliedFields.NeedsApply(null, body, "m").Should().BeTrue();
    }
}
