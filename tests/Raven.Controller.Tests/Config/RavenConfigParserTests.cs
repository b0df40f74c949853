using Raven.Controller.Config;

namespace Raven.Controller.Tests.Config;

public class RavenConfigParserTests
{
    private static RavenConfig Parse(params (string Key, string Value)[] data) =>
        RavenConfigParser.Parse(data.ToDictionary(d => d.Key, d => d.Value));

    [Fact]
    public void The_proposals_keys_written_as_block_scalars_parse()
    {
        var config = Parse(
            ("enable-l7-proxy", "true"), ("enable-l3-tunnel", "false"), ("gateway-replicas", "1"),
            ("l7-proxy-port", "https=10250\nhttp=10255\n"),
            ("exposed-gateway", "gw-cloud=LoadBalancer\n"),
            ("gateway-nodes", "gw-cloud=cloud-node-1\ngw-edge=edge-node-1\n"));

        config.Problems.Should().BeEmpty();
        config.IsUsable.Should().BeTrue();
        config.GatewayReplicas.Should().Be(1);
        config.ProxyHttpsPorts.Should().Equal(10250);
        config.ProxyHttpPorts.Should().Equal(10255);
        config.ExposedGateways.Should().Equal(new Dictionary<string, string> { ["gw-cloud"] = "LoadBalancer" });
        config.GatewayNodes.Keys.Should().Equal("gw-cloud", "gw-edge");
        config.GatewayNodes["gw-edge"].Should().Equal("edge-node-1");
    }

    [Fact]
    public void Lists_comments_blank_lines_repeated_lines_and_case_are_accepted()
    {
        var config = Parse(
            ("l7-proxy-port", "# kubelet\nhttps=10250, 9100\n\nhttp=10255\nhttps=10250\n"),
            ("exposed-gateway", "gw-cloud=publicip"),
            ("gateway-nodes", "gw-cloud=c1,c2\ngw-cloud=c3\n"));

        config.Problems.Should().BeEmpty();
        config.ProxyHttpsPorts.Should().Equal(10250, 9100);
        config.ExposedGateways["gw-cloud"].Should().Be("PublicIP");
        config.GatewayNodes["gw-cloud"].Should().Equal("c1", "c2", "c3");
    }

    [Fact]
    public void A_folded_value_names_the_line_and_shows_the_block_form()
    {
        // What a value written without '|' (or with its lines not indented under the key) becomes: one line.
        var config = Parse(("gateway-nodes", "gw-cloud=cloud-node-1 gw-edge=edge-node-1"));

        config.IsUsable.Should().BeFalse();
        var message = config.Problems.Single().Message;
        message.Should().StartWith("raven-cfg gateway-nodes line 1 \"gw-cloud=cloud-node-1 gw-edge=edge-node-1\": expected <gateway>=<node>[,<node>...]");
        message.Should().Contain("several entries on one line");
        message.Should().EndWith("gateway-nodes: |\n      gw-cloud=cloud-node-1\n      gw-edge=edge-node-1");
    }

    [Theory]
    [InlineData("l7-proxy-port", "https=10250\nhttp=ten", "l7-proxy-port line 2 \"http=ten\": \"ten\" is not a port from 1 to 65535")]
    [InlineData("l7-proxy-port", "grpc=9000", "l7-proxy-port line 1 \"grpc=9000\": \"grpc\" is neither http nor https")]
    [InlineData("exposed-gateway", "gw-cloud=NodePort", "exposed-gateway line 1 \"gw-cloud=NodePort\": \"NodePort\" is neither PublicIP nor LoadBalancer")]
    [InlineData("exposed-gateway", "gw-cloud", "exposed-gateway line 1 \"gw-cloud\": expected <gateway>=PublicIP or <gateway>=LoadBalancer")]
    [InlineData("gateway-nodes", "gw-a=n1\ngw-b=n1", "gateway-nodes line 2 \"gw-b=n1\": node n1 is already a gateway node of gw-a")]
    [InlineData("gateway-nodes", "GW=n1", "gateway-nodes line 1 \"GW=n1\": \"GW\" is not a valid name")]
    [InlineData("gateway-replicas", "two", "gateway-replicas: \"two\" is not a whole number from 0 to 100; write gateway-replicas: \"1\"")]
    public void A_malformed_line_is_an_error_naming_key_line_and_cause(string key, string value, string expected)
    {
        var config = Parse((key, value));

        config.IsUsable.Should().BeFalse();
        config.Problems.Should().ContainSingle(p => p.IsError && p.Key == key).Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void Unknown_keys_and_odd_switches_are_warnings_only()
    {
        var config = Parse(("enable-l7-proxy", "yes"), ("gateway-node", "gw=n1"), ("gateway-replicas", "2"));

        config.IsUsable.Should().BeTrue();
        config.GatewayReplicas.Should().Be(2);
        config.Problems.Select(p => p.Message).Should().BeEquivalentTo(
            "raven-cfg: unknown key \"gateway-node\" is ignored; known keys are enable-l3-tunnel, enable-l7-proxy, gateway-replicas, l7-proxy-port, exposed-gateway, gateway-nodes",
            "raven-cfg enable-l7-proxy: \"yes\" is neither \"true\" nor \"false\" and counts as false; write enable-l7-proxy: \"true\"");
    }

    [Fact]
    public void Only_the_switches_configure_no_gateway()
    {
        var config = Parse(("enable-l7-proxy", "true"), ("enable-l3-tunnel", "true"));

        config.ConfiguresGateways.Should().BeFalse();
        config.Problems.Should().BeEmpty();
    }
}
