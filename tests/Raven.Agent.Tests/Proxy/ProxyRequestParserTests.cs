using Raven.Agent.Proxy.FrontEnd;

namespace Raven.Agent.Tests.Proxy;

public sealed class ProxyRequestParserTests
{
    private static ProxyRequestTarget Parse(string? host, string path, string query = "", string? tunnelHost = null, string? tunnelDest = null)
    {
        var target = ProxyRequestParser.Parse(new ProxyRequestFacts(host, path, query, tunnelHost, tunnelDest), out var failure);
        failure.Should().BeNull();
        return target!;
    }

    private static ProxyFailure Refuse(string? host, string path, string query = "", string? tunnelHost = null, string? tunnelDest = null)
    {
        var target = ProxyRequestParser.Parse(new ProxyRequestFacts(host, path, query, tunnelHost, tunnelDest), out var failure);
        target.Should().BeNull();
        return failure!;
    }

    [Fact]
    public void NodeName_query_wins_and_is_stripped_keeping_the_other_parameters_in_order()
    {
        var target = Parse("10.96.0.10:10250", "/metrics", "?a=1&nodeName=edge-1&b=%20x", tunnelHost: "other");

        target.Should().Be(new ProxyRequestTarget("edge-1", null, 10250, "/metrics?a=1&b=%20x"));
    }

    [Fact]
    public void Tunnel_headers_give_node_and_port()
    {
        Parse("ignored:1", "/stats", tunnelHost: "edge-2:10250", tunnelDest: "192.0.2.7:10255")
            .Should().Be(new ProxyRequestTarget("edge-2", null, 10255, "/stats"));
    }

    [Fact]
    public void Host_name_and_port_are_the_fallback()
    {
        Parse("edge-3:9100", "/metrics").Should().Be(new ProxyRequestTarget("edge-3", null, 9100, "/metrics"));
    }

    [Theory]
    [InlineData("/exec/default/web-1/main", "default", "web-1")]
    [InlineData("/attach/kube-system/dns/c", "kube-system", "dns")]
    [InlineData("/portForward/ns/pod", "ns", "pod")]
    [InlineData("/containerLogs/ns/pod/c", "ns", "pod")]
    public void Kubelet_streaming_paths_name_a_pod(string path, string ns, string pod)
    {
        var target = Parse("10.96.0.10", path);

        target.NodeName.Should().BeNull();
        target.Pod.Should().Be((ns, pod));
        target.Port.Should().BeNull("the node's kubelet port applies");
    }

    [Fact]
    public void Node_header_beats_the_kubelet_path()
    {
        Parse("x:10250", "/exec/default/web-1/main", tunnelHost: "edge-9").NodeName.Should().Be("edge-9");
    }

    [Fact]
    public void Ip_literal_host_is_refused()
    {
        Refuse("192.0.2.1:10250", "/metrics").Message.Should().Contain("192.0.2.1").And.Contain("nodeName");
    }

    [Fact]
    public void Missing_port_is_refused_outside_kubelet_paths()
    {
        Refuse("edge-3", "/metrics").StatusCode.Should().Be(400);
    }

    [Fact]
    public void Bad_dest_header_is_refused_naming_it()
    {
        Refuse("edge-3:1", "/", tunnelDest: "nope").Message.Should().Contain("X-Tunnel-Proxy-Dest").And.Contain("nope");
    }

    [Theory]
    [InlineData("[fd00::1]:10250", "fd00::1", 10250)]
    [InlineData("node:80", "node", 80)]
    [InlineData("node", "node", null)]
    [InlineData("node:99999", "node", null)]
    public void SplitHostPort_handles_names_and_bracketed_ipv6(string authority, string host, int? port)
    {
        ProxyRequestParser.SplitHostPort(authority).Should().Be((host, port));
    }
}
