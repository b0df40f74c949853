using System.Net;
using Raven.Agent.Proxy.Cluster;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Tests.ProxyCluster;

public sealed class ProxyRolesTests
{
    private static Gateway Gw(string name, string? expose, string[] members, params (string Node, string? PublicIp, int Port)[] proxyActives) => new()
    {
        Metadata = new() { Name = name },
        Spec = new GatewaySpec { ExposeType = expose, ProxyConfig = new ProxyConfiguration { Replicas = 1 } },
        Status = new GatewayStatus
        {
            Nodes = members.Select(m => new NodeInfo { NodeName = m, PrivateIP = "10.0.0.1" }).ToList(),
            ActiveEndpoints = proxyActives.Select(a => new Endpoint { NodeName = a.Node, Type = WellKnown.EndpointTypeProxy, PublicIP = a.PublicIp, Port = a.Port })
                .Append(new Endpoint { NodeName = members.FirstOrDefault() ?? "x", Type = WellKnown.EndpointTypeTunnel, PublicIP = "198.51.100.99" })
                .ToList(),
        },
    };

    private static readonly Gateway[] Cluster =
    [
        Gw("gw-cloud", WellKnown.ExposeTypePublicIP, ["cloud-1", "cloud-2"], ("cloud-1", "203.0.113.10", 10262), ("cloud-2", "203.0.113.11", 10262)),
        Gw("gw-other", WellKnown.ExposeTypeLoadBalancer, ["other-1"], ("other-1", "203.0.113.20", 443)),
        Gw("gw-edge", null, ["edge-1", "edge-2"], ("edge-1", null, 0)),
    ];

    [Fact]
    public void Disabled_l7_runs_nothing_but_still_names_the_local_gateway()
    {
        var roles = ProxyRoles.Decide(false, Cluster, "cloud-1", null);

        roles.Client.Should().BeFalse();
        roles.Server.Should().BeFalse();
        roles.LocalGateway.Should().Be("gw-cloud");
        roles.Reason.Should().Contain("enable-l7-proxy");
    }

    [Fact]
    public void A_node_in_no_domain_is_a_client_of_every_exposed_gateway()
    {
        var roles = ProxyRoles.Decide(true, Cluster, "loner", null);

        roles.Should().Match<ProxyRoles>(r => r.Client && !r.Server && r.LocalGateway == null);
        roles.ServerTargets.Select(t => $"{t.Host}:{t.Port}").Should().Equal("203.0.113.10:10262", "203.0.113.11:10262", "203.0.113.20:443");
    }

    [Fact]
    public void The_active_proxy_endpoint_of_an_exposed_gateway_is_client_and_server_with_its_public_ips()
    {
        var roles = ProxyRoles.Decide(true, Cluster, "cloud-2", null);

        roles.Should().Match<ProxyRoles>(r => r.Client && r.Server && r.LocalGateway == "gw-cloud");
        roles.ServerTargets.Select(t => t.Host).Should().Equal(["203.0.113.20"], "a server never dials its own gateway");
        roles.PublicIps.Should().BeEquivalentTo([IPAddress.Parse("203.0.113.10"), IPAddress.Parse("203.0.113.11")]);
    }

    [Fact]
    public void The_active_proxy_endpoint_of_an_unexposed_gateway_is_only_a_client()
    {
        var roles = ProxyRoles.Decide(true, Cluster, "edge-1", null);

        roles.Should().Match<ProxyRoles>(r => r.Client && !r.Server && r.LocalGateway == "gw-edge");
        roles.ServerTargets.Should().HaveCount(3);
        roles.PublicIps.Should().BeEmpty();
    }

    [Fact]
    public void Other_members_of_a_gateway_run_nothing()
    {
        ProxyRoles.Decide(true, Cluster, "edge-2", null).Should().Match<ProxyRoles>(r => !r.Client && !r.Server && r.LocalGateway == "gw-edge");
    }

    [Fact]
    public void The_node_label_names_the_gateway_until_status_lists_the_node()
    {
        var roles = ProxyRoles.Decide(true, Cluster, "edge-3", "gw-edge");

        roles.Should().Match<ProxyRoles>(r => !r.Client && !r.Server && r.LocalGateway == "gw-edge");
    }

    [Fact]
    public void Deciding_twice_gives_the_same_answer()
    {
        ProxyRoles.Decide(true, Cluster, "cloud-1", null).ServerTargets
            .Should().Equal(ProxyRoles.Decide(true, Cluster, "cloud-1", null).ServerTargets);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(" True ", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    public void Enable_l7_proxy_is_read_from_raven_cfg(string value, bool expected)
    {
        ProxyRoles.L7Enabled(new Dictionary<string, string> { [WellKnown.EnableL7ProxyKey] = value }).Should().Be(expected);
    }

    [Fact]
    public void A_missing_raven_cfg_means_l7_is_off()
    {
        ProxyRoles.L7Enabled(null).Should().BeFalse();
    }
}
