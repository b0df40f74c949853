using Raven.Api.V1Beta1;
using Raven.Controller.Services;

namespace Raven.Controller.Tests.Services;

public class InternalServicePlannerTests
{
    private static readonly Dictionary<string, string> Ips = new() { ["c1"] = "10.0.0.1", ["c2"] = "10.0.0.2", ["e1"] = "172.16.0.1" };

    private static Gateway Gw(string name, string expose, string? http, string? https, params string[] proxyNodes) => new()
    {
        Metadata = new() { Name = name },
        Spec = new GatewaySpec { ExposeType = expose, ProxyConfig = new() { Replicas = proxyNodes.Length, ProxyHTTPPort = http, ProxyHTTPSPort = https } },
        Status = new GatewayStatus { ActiveEndpoints = [.. proxyNodes.Select(n => new Endpoint { NodeName = n, Type = "proxy", Port = 10262 })] },
    };

    [Fact]
    public void Ports_are_named_by_scheme_and_sorted_and_endpoints_are_the_exposed_proxies()
    {
        var result = InternalServicePlanner.Plan(
            [Gw("gw-cloud", "PublicIP", "10255,9445", "10250,9100", "c1", "c2"), Gw("gw-edge", "", "1234", null, "e1")],
            proxyEnabled: true, Ips, AgentPorts.Defaults);

        var service = result.Service!;
        service.Name.Should().Be("x-raven-proxy-internal-svc");
        service.Ports.Select(p => $"{p.Name}:{p.Port}->{p.TargetPort}").Should().Equal(
            "http-10255:10255->10264", "http-9445:9445->10264", "https-10250:10250->10263", "https-9100:9100->10263");
        service.Addresses.Select(a => a.Ip).Should().Equal("10.0.0.1", "10.0.0.2");
        result.Conflicts.Should().BeEmpty();
    }

    [Fact]
    public void Duplicates_merge_and_scheme_conflicts_are_reported_not_broken()
    {
        var result = InternalServicePlanner.Plan(
            [Gw("gw-a", "PublicIP", "10255", "10250", "c1"), Gw("gw-b", "LoadBalancer", "10255,10250", null, "c2")],
            proxyEnabled: true, Ips, AgentPorts.Defaults);

        result.Service!.Ports.Select(p => p.Name).Should().Equal("http-10255", "https-10250");
        result.Conflicts.Should().ContainSingle(c => c.Contains("10250") && c.Contains("gw-b"));
    }

    [Fact]
    public void No_service_without_proxy_or_without_exposed_gateways()
    {
        InternalServicePlanner.Plan([Gw("gw-a", "PublicIP", "1", null, "c1")], proxyEnabled: false, Ips, AgentPorts.Defaults).Service.Should().BeNull();
        InternalServicePlanner.Plan([Gw("gw-a", "", "1", null, "c1")], proxyEnabled: true, Ips, AgentPorts.Defaults).Service.Should().BeNull();
    }
}
