using k8s.Models;
using System.Net;
using Raven.Agent.Engine;
using Raven.Agent.Linux.Netfilter;
using Raven.Agent.Planning;
using Raven.Agent.Tests.Planning;
using Raven.Agent.Tunnel;
using Raven.Api;
using Raven.Kube.Observability;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Engine;

public sealed class EnginePureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_configured_wireguard_device_reaches_routes_chains_and_the_device()
    {
        var plan = Plan("cloud-gw", CloudAndTwoNatedEdges());

        var renamed = Plan("cloud-gw", new PlannerOptions { WireGuardDevice = "rvt-wg-c" }, CloudAndTwoNatedEdges());
        var text = RavenNetfilter.FromPlan(renamed, hashNetNetSupported: true).Chains.SelectMany(c => c.Rules);

        renamed.WireGuard!.Device.Should().Be("rvt-wg-c");
        renamed.Routes.Where(r => r.Table == KernelNames.WireGuardRouteTable).Should().OnlyContain(r => r.Device == "rvt-wg-c").And.NotBeEmpty();
        text.Should().NotContain(r => r.Contains("raven-wg0", StringComparison.Ordinal)).And.Contain(r => r.Contains("-i rvt-wg-c", StringComparison.Ordinal));
        plan.WireGuard!.Device.Should().Be(KernelNames.WireGuardDevice, "the default stays upstream's name");
    }

    [Fact]
    public void Netfilter_state_comes_only_from_the_plan_plus_the_unmark_chain_raven0_asks_for()
    {
        var member = Plan("cloud-w1", CloudAndTwoNatedEdges());

        var state = RavenNetfilter.FromPlan(member, hashNetNetSupported: false);

        state.Sets.Select(s => s.Name).Should().Equal(member.IpSets.Select(s => s.Name));
        state.Chains.Select(c => c.Name).Should().BeEquivalentTo(member.Chains.Select(c => c.Name).Append(RavenNetfilter.UnmarkChain));
        RavenNetfilter.FromPlan(NetworkPlan.Empty(PlanRole.NotInDomain, "x", null, []), true).Chains.Should().BeEmpty();
    }

    [Fact]
    public void Without_net_net_sets_the_gateway_gets_one_skip_nat_rule_per_pair()
    {
        var gateway = Plan("cloud-gw", CloudAndTwoNatedEdges());
        var pairs = gateway.IpSets.Single(s => s.Type == IpSetType.HashNetNet).Entries.Count;

        var state = RavenNetfilter.FromPlan(gateway, hashNetNetSupported: false);

        state.Sets.Should().NotContain(s => s.Name == KernelNames.SkipNatSet);
        state.Chains.Single(c => c.Name == KernelNames.PostRoutingChain).Rules.Should().HaveCount(pairs).And.OnlyContain(r => r.StartsWith("-s ", StringComparison.Ordinal));
    }

    [Fact]
    public void Public_ip_comes_from_the_endpoint_then_the_load_balancer_then_the_flag()
    {
        var gateway = Gateway("edge", null, Node("edge-gw", "172.16.1.10"));
        gateway.Spec.Endpoints = [TunnelEndpoint("edge-gw", null)];
        var service = new V1Service
        {
            Metadata = new()
            {
                Name = "x-raven-tunnel-svc-edge-0a1b2c3d",
                Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = "edge", [WellKnown.GatewayTypeLabel] = "tunnel", [WellKnown.EndpointsNameLabel] = "edge-gw" },
            },
            Status = new() { LoadBalancer = new() { Ingress = [new() { Ip = "198.51.100.44" }] } },
        };
        var flag = IPAddress.Parse("203.0.113.9");

        PublicIpResolver.ToPublish(gateway, "edge-gw", [service], flag).Should().Be(IPAddress.Parse("198.51.100.44"));
        PublicIpResolver.ToPublish(gateway, "edge-gw", [], flag).Should().Be(flag);
        PublicIpResolver.ToPublish(gateway, "edge-gw", [], null).Should().BeNull();
        PublicIpResolver.ToPublish(gateway, "other-node", [service], flag).Should().BeNull();
        gateway.Spec.Endpoints[0].PublicIP = "192.0.2.1";
        PublicIpResolver.ToPublish(gateway, "edge-gw", [service], flag).Should().BeNull("an existing publicIP is never overwritten");
    }

    [Fact]
    public void Readiness_needs_a_clean_apply_and_recent_handshakes()
    {
        var plan = Plan("cloud-gw", CloudAndTwoNatedEdges());
        var ok = new ApplyReport(plan, 0, 0, 0, false, 3, [], TimeSpan.Zero);
        var failed = ok with { Errors = ["routing: boom"] };
        var names = new Dictionary<string, string> { ["k1"] = "edge1" };
        var longAgo = new Dictionary<string, DateTimeOffset> { ["k1"] = Now.AddMinutes(-10) };
        var justNow = new Dictionary<string, DateTimeOffset> { ["k1"] = Now.AddSeconds(-5) };
        VpnPeerStatus Peer(DateTimeOffset? at) => new("k1", at, 0, 0);

        AgentReadiness.NotReadyReason(null, [], longAgo, names, Now).Should().Contain("not been applied");
        AgentReadiness.NotReadyReason(failed, [], longAgo, names, Now).Should().Contain("routing: boom");
        AgentReadiness.NotReadyReason(ok, [], longAgo, names, Now).Should().BeNull();
        AgentReadiness.NotReadyReason(ok, [Peer(Now.AddMinutes(-1))], longAgo, names, Now).Should().BeNull();
        AgentReadiness.NotReadyReason(ok, [Peer(null)], longAgo, names, Now).Should().Contain("edge1");
        AgentReadiness.NotReadyReason(ok, [Peer(Now.AddMinutes(-4))], longAgo, names, Now).Should().Contain("edge1");
        AgentReadiness.NotReadyReason(ok, [Peer(null)], justNow, names, Now).Should().BeNull("a new peer gets time to handshake");
    }

    [Fact]
    public async Task In_memory_publisher_writes_the_spec_endpoint_and_its_active_copy_once()
    {
        var inputs = new InMemoryAgentInputs();
        var gateway = Gateway("cloud", TunnelEndpoint("cloud-gw", null, withKey: false), Node("cloud-gw", "172.16.0.10"));
        gateway.Spec.Endpoints = [TunnelEndpoint("cloud-gw", null, withKey: false)];
        inputs.SetGateways(gateway);
        var changes = 0;
        inputs.Changed += (_, _) => changes++;

        var first = await inputs.PublishPublicKeyAsync("cloud", "cloud-gw", KeyOf("x"), default);
        var second = await inputs.PublishPublicKeyAsync("cloud", "cloud-gw", KeyOf("x"), default);
        var ip = await inputs.PublishPublicIpAsync("cloud", "cloud-gw", "203.0.113.10", default);
        var ipAgain = await inputs.PublishPublicIpAsync("cloud", "cloud-gw", "203.0.113.99", default);

        (first, second, ip, ipAgain).Should().Be((true, false, true, false));
        var stored = inputs.Get("cloud")!;
        stored.Spec.Endpoints![0].Config![GatewayEndpoints.PublicKeyConfigKey].Should().Be(KeyOf("x"));
        stored.Status.ActiveEndpoints![0].Config![GatewayEndpoints.PublicKeyConfigKey].Should().Be(KeyOf("x"));
        stored.Spec.Endpoints[0].PublicIP.Should().Be("203.0.113.10");
        changes.Should().Be(4);
    }

    [Fact]
    public async Task Metrics_carry_peer_series_by_gateway_name_and_drop_vanished_peers()
    {
        var metrics = new AgentMetrics();
        var names = new Dictionary<string, string> { ["k1"] = "edge1", ["k2"] = "edge2" };

        metrics.RecordPeers([new("k1", Now.AddSeconds(-30), 100, 200), new("k2", null, 0, 0)], names, Now);
        metrics.RecordPeers([new("k1", Now.AddSeconds(-30), 100, 200)], names, Now);
        var text = await metrics.Registry.ExportTextAsync();

        metrics.Peers.Value.Should().Be(1);
        metrics.HandshakeAge.WithLabels("edge1").Value.Should().Be(30);
        metrics.RxBytes.WithLabels("edge1").Value.Should().Be(100);
        text.Should().NotContain("edge2");
    }
}
