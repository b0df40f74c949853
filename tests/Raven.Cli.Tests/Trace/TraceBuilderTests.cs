using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Cli.Tests.Status;
using Raven.Cli.Trace;

namespace Raven.Cli.Tests.Trace;

public sealed class TraceBuilderTests
{
    private static string[] Kinds(TraceReport report) => [.. report.Hops.Select(h => $"{h.Kind} {h.Name}")];

    [Fact]
    public void Two_pods_on_one_node_meet_on_the_node_without_a_Raven_hop()
    {
        var f = TraceFixture.Seed().Pod("web", "other", "hz-2", "10.244.19.3");

        var report = f.Trace("p-hz-2", "web/other");

        Kinds(report).Should().Equal("pod default/p-hz-2", "node hz-2", "pod web/other");
        report.Hops[1].Reason.Should().Contain("both ends are on this node");
        report.Verdict.Should().Be(TraceHealth.Ok);
        report.ExitCode.Should().Be(0);
    }

    [Fact]
    public void Within_a_domain_the_LAN_carries_it_and_no_tunnel()
    {
        var report = TraceFixture.Seed().Trace("p-hz-1", "p-hz-2");

        Kinds(report).Should().Equal("pod default/p-hz-1", "node hz-1", "lan hz-1 -> hz-2", "node hz-2", "pod default/p-hz-2");
        report.Hops[2].Reason.Should().Contain("same domain gw-hangzhou");
        report.Verdict.Should().Be(TraceHealth.Ok);
    }

    [Fact]
    public void Edge_to_cloud_goes_over_VXLAN_to_the_gateway_then_direct_to_the_dialable_cloud()
    {
        var report = TraceFixture.Seed().Trace("p-hz-2", "p-cloud-2");

        Kinds(report).Should().Equal("pod default/p-hz-2", "node hz-2", "vxlan hz-2 -> hz-1", "gateway hz-1", "tunnel hz-1 -> cloud-1",
            "gateway cloud-1", "vxlan cloud-1 -> cloud-2", "node cloud-2", "pod default/p-cloud-2");
        var tunnel = report.Hops[4];
        tunnel.Basis.Should().Be(TraceHealth.Planned);
        tunnel.Reason.Should().Contain("direct: gw-cloud's endpoint cloud-1 can be dialled at 203.0.113.10:4500 (not under NAT)").And.Contain("planned, not measured");
        report.Hops[2].Reason.Should().Contain("the serving endpoint its agent chose");
        report.Hops[3].Reason.Should().Contain("claims serving at epoch 1");
        report.Verdict.Should().Be(TraceHealth.Ok);
    }

    [Fact]
    public void Edge_to_edge_behind_NAT_is_relayed_via_the_cloud_gateway_as_planned()
    {
        var report = TraceFixture.Seed().Trace("p-hz-2", "p-qd-2");

        Kinds(report).Should().Equal("pod default/p-hz-2", "node hz-2", "vxlan hz-2 -> hz-1", "gateway hz-1", "tunnel hz-1 -> cloud-1", "relay cloud-1",
            "tunnel cloud-1 -> qd-1", "gateway qd-1", "vxlan qd-1 -> qd-2", "node qd-2", "pod default/p-qd-2");
        report.Hops[4].Reason.Should().Contain("relayed via gw-cloud: neither gw-hangzhou nor gw-qingdao can be dialled")
            .And.Contain("allow no punched path").And.Contain("planned, not measured");
        report.Hops[6].Reason.Should().Contain("direct from the relay");
        report.Hops.Where(h => h.Kind == "tunnel").Should().OnlyContain(h => h.Basis == TraceHealth.Planned);
        report.Verdict.Should().Be(TraceHealth.Ok);
    }

    [Fact]
    public void NAT_types_that_allow_a_punch_are_named_as_an_unmeasured_possibility()
    {
        var f = TraceFixture.Seed();
        foreach (var (gateway, port) in new[] { ("gw-hangzhou", 40001), ("gw-qingdao", 40002) })
        {
            var tunnel = f.Gateway(gateway).Status.ActiveEndpoints!.Single(e => e.Type == WellKnown.EndpointTypeTunnel);
            tunnel.NATType = Raven.Agent.Nat.UpstreamNatType.RestrictedCone;
            tunnel.PublicPort = port;
        }

        var report = f.Trace("p-hz-2", "p-qd-2");

        report.Hops.Single(h => h.Name == "hz-1 -> cloud-1").Reason.Should().Contain("allow a punched direct path, which hz-1 tries").And.Contain("not measured");
    }

    [Fact]
    public void A_measured_relay_shows_the_path_cost_and_each_legs_connection()
    {
        var f = TraceFixture.Seed()
            .Connections("hz-1", Report(new DomainConnection
            {
                Domain = "gw-qingdao", Path = "relay:gw-cloud", Via = "qd-1", Reason = "punch failed",
                Candidates = [new PathCostReport { Path = "relay:gw-cloud", State = "up", RttMilliseconds = 12.5, LossRatio = 0, CostMilliseconds = 12.5 },
                    new PathCostReport { Path = "direct", State = "down" }],
            }, Up("gw-cloud", "cloud-1", 4200, 3900)))
            .Connections("cloud-1", Report(new DomainConnection { Domain = "gw-qingdao", Path = "direct", Via = "qd-1", Reason = "cheapest" }, Up("gw-qingdao", "qd-1", 800, 700)));

        var report = f.Trace("p-hz-2", "p-qd-2");

        var first = report.Hops.Single(h => h.Name == "hz-1 -> cloud-1");
        first.Basis.Should().Be(TraceHealth.Report);
        first.Health.Should().Be(TraceHealth.Ok);
        first.Reason.Should().Contain("relay:gw-cloud (punch failed), measured by hz-1's agent 3 s ago").And.Contain("rtt 12.5 ms")
            .And.Contain("wireguard connection up, last handshake 20 s ago, rx 4200 B, tx 3900 B").And.Contain("other candidates: direct down");
        report.Hops.Single(h => h.Name == "cloud-1 -> qd-1").Should().Match<TraceHop>(h => h.Basis == TraceHealth.Report && h.Reason.Contains("direct (cheapest)"));
        report.Hops.Should().Contain(h => h.Kind == "relay" && h.Name == "cloud-1");
        report.Verdict.Should().Be(TraceHealth.Ok);
    }

    [Fact]
    public void A_measured_punched_path_goes_straight_to_the_remote_gateway()
    {
        var f = TraceFixture.Seed().Connections("hz-1", Report(new DomainConnection
        {
            Domain = "gw-qingdao", Path = "direct", Via = "qd-1", Reason = "punched",
            Candidates = [new PathCostReport { Path = "direct", State = "up", RttMilliseconds = 4 }],
        }, Up("gw-qingdao", "qd-1", 100, 100)));

        var report = f.Trace("p-hz-2", "p-qd-2");

        Kinds(report).Should().Contain("tunnel hz-1 -> qd-1").And.NotContain(k => k.StartsWith("relay", StringComparison.Ordinal));
        report.Hops.Single(h => h.Name == "hz-1 -> qd-1").Reason.Should().Contain("direct (punched)");
    }

    [Fact]
    public void A_connection_reported_down_fails_its_hop()
    {
        var f = TraceFixture.Seed().Connections("hz-1", Report(new DomainConnection
        {
            Domain = "gw-cloud", Path = "direct", Via = "cloud-1",
            Candidates = [new PathCostReport { Path = "direct", State = "down" }],
        }, new TunnelConnectionReport { Gateway = "gw-cloud", Node = "cloud-1", State = "down", Reconnects = 3 }));

        var report = f.Trace("p-hz-2", "p-cloud-2");

        report.Hops.Single(h => h.Name == "hz-1 -> cloud-1").Health.Should().Be(TraceHealth.Fail);
        report.ExitCode.Should().Be(1);
    }

    [Fact]
    public void An_IP_two_domains_share_is_ambiguous_and_the_node_name_still_traces_through_L7()
    {
        var f = TraceFixture.Seed();

        var byIp = f.Trace("p-qd-2", "172.16.2.104");
        byIp.Error.Should().Contain("172.16.2.104 is ambiguous").And.Contain("node hz-2 (gw-hangzhou)").And.Contain("node sz-2 (gw-shenzhen)")
            .And.Contain("reach the node by name through the L7 proxy");
        byIp.Hops.Should().BeEmpty();
        byIp.ExitCode.Should().Be(1);

        var byName = f.Trace("p-qd-2", "sz-2");
        Kinds(byName).Should().Equal("pod default/p-qd-2", "node qd-2", "l3 gw-qingdao -> gw-shenzhen", "l7 cloud-1", "l7 sz-1", "node sz-2");
        byName.Hops[2].Reason.Should().Contain("also node hz-2's (gw-hangzhou)").And.Contain("by name, through the L7 proxy");
        byName.Verdict.Should().Be(TraceHealth.Ok);
    }

    [Fact]
    public void A_unique_node_IP_and_a_pod_IP_resolve_and_route_over_L3()
    {
        var f = TraceFixture.Seed();

        var node = f.Trace("p-hz-2", "172.16.1.90");
        node.To.Should().Be(new TraceEnd("node", "qd-2", "gw-qingdao", "172.16.1.90"));
        node.Verdict.Should().Be(TraceHealth.Ok);

        f.Trace("hz-2", "10.244.17.2").To!.Pod.Should().Be("default/p-qd-2");
        f.Trace("hz-2", "10.244.17.9").To.Should().Be(new TraceEnd("address", "qd-2", "gw-qingdao", "10.244.17.9"));
    }

    [Fact]
    public void With_L3_off_in_raven_cfg_pods_of_other_domains_are_unreachable()
    {
        var f = TraceFixture.Seed();
        f.Cluster.RavenCfg![WellKnown.EnableL3TunnelKey] = "false";

        var report = f.Trace("p-hz-2", "p-qd-2");

        report.Hops[^1].Should().Match<TraceHop>(h => h.Kind == "l3" && h.Health == TraceHealth.Fail && h.Reason.Contains("enable-l3-tunnel is not \"true\""));
        report.ExitCode.Should().Be(1);
        f.Trace("p-hz-2", "qd-2").Verdict.Should().Be(TraceHealth.Ok, "a node by name is still reached through L7");
    }

    [Fact]
    public void A_destination_domain_without_an_active_tunnel_endpoint_fails_with_the_reason()
    {
        var f = TraceFixture.Seed();
        f.Gateway("gw-qingdao").Status.ActiveEndpoints!.RemoveAll(e => e.Type == WellKnown.EndpointTypeTunnel);

        var report = f.Trace("p-hz-2", "p-qd-2");

        report.Hops[^1].Should().Match<TraceHop>(h => h.Kind == "gateway" && h.Health == TraceHealth.Fail && h.Reason.Contains("gw-qingdao has no active tunnel endpoint"));
        report.ExitCode.Should().Be(1);
    }

    [Fact]
    public void A_source_domain_without_an_active_tunnel_endpoint_fails_before_the_tunnel()
    {
        var f = TraceFixture.Seed();
        f.Gateway("gw-hangzhou").Status.ActiveEndpoints!.RemoveAll(e => e.Type == WellKnown.EndpointTypeTunnel);
        f.Cluster.Lease("hz-2"); // without a data-plane report naming a serving endpoint

        var report = f.Trace("p-hz-2", "p-qd-2");

        report.Hops[^1].Should().Match<TraceHop>(h => h.Health == TraceHealth.Fail && h.Reason.Contains("nothing leaves the domain"));
    }

    [Fact]
    public void An_expired_agent_lease_warns_on_its_hop_and_its_report_is_not_trusted()
    {
        var f = TraceFixture.Seed().Connections("hz-1", Report(new DomainConnection { Domain = "gw-qingdao", Path = "direct", Via = "qd-1" }, Up("gw-qingdao", "qd-1", 1, 1)));
        var lease = f.Cluster.Leases.Single(l => l.Metadata.Name == "raven-agent-hz-1");
        lease.Spec.RenewTime = ClusterFixture.Now.AddSeconds(-45).UtcDateTime;

        var report = f.Trace("p-hz-2", "p-qd-2");

        var gateway = report.Hops.Single(h => h.Kind == "gateway" && h.Name == "hz-1");
        gateway.Health.Should().Be(TraceHealth.Warn);
        gateway.Reason.Should().Contain("agent Lease expired 30 s ago");
        report.Hops.Should().Contain(h => h.Kind == "relay", "the stale report's direct path is not believed: the plan relays");
        report.Verdict.Should().Be(TraceHealth.Warn);
        report.ExitCode.Should().Be(0);
    }

    [Theory]
    [InlineData("nope", "no pod, node or IP named nope")]
    [InlineData("kube-system/p-hz-2", "no pod kube-system/p-hz-2")]
    [InlineData("10.9.9.9", "10.9.9.9 is no pod's IP")]
    public void An_end_that_names_nothing_says_so(string destination, string message)
    {
        var report = TraceFixture.Seed().Trace("p-hz-2", destination);

        report.Error.Should().Contain(message);
        report.ExitCode.Should().Be(1);
    }

    [Fact]
    public void A_node_in_no_gateway_has_no_L3_path()
    {
        var f = TraceFixture.Seed().Node("edge-1", null, "192.168.9.1", "10.244.99.0/24");
        f.Cluster.Lease("edge-1");

        var report = f.Trace("p-hz-2", "edge-1");

        report.Hops[^1].Should().Match<TraceHop>(h => h.Kind == "l3" && h.Health == TraceHealth.Fail && h.Reason.Contains("node edge-1 is in no gateway"));
    }

    private static ConnectionReport Report(DomainConnection domain, params TunnelConnectionReport[] connections) => new()
    {
        SampledAt = ClusterFixture.Now.AddSeconds(-3), Backend = "wireguard", Role = "serving", Domains = [domain], Connections = connections,
    };

    private static TunnelConnectionReport Up(string gateway, string node, long rx, long tx) => new()
    {
        Gateway = gateway, Node = node, State = "up", LastHandshake = ClusterFixture.Now.AddSeconds(-20), RxBytes = rx, TxBytes = tx,
    };
}
