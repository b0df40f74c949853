using System.Net;
using Raven.Agent.Proxy.Directory;
using Raven.Agent.Proxy.FrontEnd;

namespace Raven.Agent.Tests.Proxy;

public sealed class ProxyRouterTests
{
    private readonly InMemoryProxyDirectory _directory = new InMemoryProxyDirectory()
        .Add(new ProxyNode("edge-1", IPAddress.Parse("10.0.0.5"), "gw-edge"))
        .Add(new ProxyNode("cloud-1", IPAddress.Parse("10.0.0.5"), "gw-cloud", KubeletPort: 10251))
        .Add(new ProxyNode("solo", IPAddress.Parse("10.0.0.9"), null))
        .Add(new ProxyNode("dangling", IPAddress.Parse("10.0.0.10"), "gw-missing"))
        .Add(new ProxyNode("no-ip", null, "gw-edge"))
        .Add(new ProxyNode("unelected", IPAddress.Parse("10.0.0.11"), "gw-empty"))
        .Add(new ProxyGateway("gw-edge", ["edge-gw-1", "edge-gw-2"], [9100], [9445]))
        .Add(new ProxyGateway("gw-cloud", ["cloud-gw"], [], []))
        .Add(new ProxyGateway("gw-empty", [], [], []));

    private ProxyRouter Router => new(_directory, _directory, "gw-cloud", [10250, 10255]);

    [Fact]
    public void Edge_node_goes_through_its_domains_proxy_gateways()
    {
        Router.Route("edge-1", 10250, out _).Should().BeEquivalentTo(new ProxyRoute("edge-1",
            new IPEndPoint(IPAddress.Parse("10.0.0.5"), 10250), false, ["edge-gw-1", "edge-gw-2"], "gw-edge"));
    }

    [Fact]
    public void Node_of_our_own_domain_is_direct_and_defaults_to_its_kubelet_port()
    {
        var route = Router.Route("cloud-1", null, out _)!;

        route.Direct.Should().BeTrue();
        route.Target.Should().Be(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 10251));
    }

    [Theory]
    [InlineData("solo")]
    [InlineData("dangling")]
    public void Node_outside_any_known_gateway_uses_its_own_proxy_client(string node)
    {
        Router.Route(node, 10250, out _)!.ProxyClients.Should().Equal(node);
    }

    [Theory]
    [InlineData(9100)]
    [InlineData(9445)]
    [InlineData(10255)]
    public void Listed_ports_are_allowed(int port) => Router.Route("edge-1", port, out _).Should().NotBeNull();

    [Fact]
    public void Other_ports_are_403_naming_the_port()
    {
        Router.Route("edge-1", 22, out var failure).Should().BeNull();
        failure!.StatusCode.Should().Be(403);
        failure.Message.Should().Contain("port 22 ").And.Contain("9100");
    }

    [Fact]
    public void Unknown_node_is_404()
    {
        Router.Route("ghost", 10250, out var failure).Should().BeNull();
        failure.Should().Be(new ProxyFailure(404, "node \"ghost\" not found"));
    }

    [Fact]
    public void Gateway_without_elected_proxy_gateway_is_503()
    {
        Router.Route("unelected", 10250, out var failure).Should().BeNull();
        failure!.StatusCode.Should().Be(503);
        failure.Message.Should().Contain("gw-empty");
    }

    [Fact]
    public void Node_without_internal_ip_is_503()
    {
        Router.Route("no-ip", 10250, out var failure).Should().BeNull();
        failure!.StatusCode.Should().Be(503);
    }
}
