using Raven.Api;
using Raven.Cli.Trace;

namespace Raven.Cli.Tests.Trace;

/// <summary>A tunnel endpoint's own traffic: the serving one sends straight into the tunnel, a hot standby through its own.</summary>
public sealed class TraceTunnelEndpointTests
{
    private static string[] Kinds(IEnumerable<TraceHop> hops) => [.. hops.Select(h => $"{h.Kind} {h.Name}")];

    [Fact]
    public void A_standbys_own_traffic_uses_its_own_tunnel_not_raven0()
    {
        var f = TraceFixture.Seed().Standby("gw-qingdao", "qd-2", "198.51.100.22");

        var report = f.Trace("qd-2", "p-cloud-2");

        Kinds(report.Hops).Should().Equal("gateway qd-2", "tunnel qd-2 -> cloud-1", "gateway cloud-1", "vxlan cloud-1 -> cloud-2", "node cloud-2", "pod default/p-cloud-2");
        var source = report.Hops[0];
        source.Reason.Should().Contain("qd-2 is a hot standby of gw-qingdao: its own traffic (from its node address 172.16.1.90) uses its own tunnel")
            .And.Contain("rule 99 from 172.16.1.90/32 lookup 9028").And.Contain("dev raven-wg0 src 172.16.1.90").And.Contain("not raven0 to the serving endpoint qd-1");
        source.Health.Should().Be(TraceHealth.Ok, "a standby claiming standby is what it should do");
        report.Hops[1].Reason.Should().Contain("direct: gw-cloud's endpoint cloud-1 can be dialled");

        // The reply to the standby's node address: cloud-1 binds it to the standby's own peer.
        Kinds(report.ReplyHops!).Should().ContainInOrder("gateway cloud-1", "tunnel cloud-1 -> qd-2", "gateway qd-2").And.NotContain(k => k.StartsWith("vxlan cloud-1 -> qd", StringComparison.Ordinal));
        report.ReplyHops![^1].Reason.Should().Contain("hot standby tunnel endpoint of gw-qingdao, reached through its own tunnel")
            .And.Contain("cloud-1's plan binds 172.16.1.90, the node address of gw-qingdao's hot standby qd-2, to that standby's own peer");
        report.Symmetry!.Symmetric.Should().BeTrue();
        report.Symmetry.Summary.Should().Be("symmetric: the reply takes the mirror path (cloud-1 -> qd-2, direct)");
        report.Verdict.Should().Be(TraceHealth.Ok);
    }

    [Fact]
    public void A_node_its_own_agent_reports_as_standby_uses_its_own_tunnel_even_when_status_lists_it_first()
    {
        var f = TraceFixture.Seed().Standby("gw-qingdao", "qd-2", "198.51.100.22");
        var active = f.Gateway("gw-qingdao").Status.ActiveEndpoints!;
        var qd2 = active.Single(e => e.Type == WellKnown.EndpointTypeTunnel && e.NodeName == "qd-2");
        active.Remove(qd2);
        active.Insert(0, qd2);

        var report = f.Trace("qd-2", "p-cloud-2");

        Kinds(report.Hops).Should().StartWith(["gateway qd-2", "tunnel qd-2 -> cloud-1"]);
        report.Hops[0].Should().Match<TraceHop>(h => h.Health == TraceHealth.Warn && h.Basis == TraceHealth.Report
                                                    && h.Reason.Contains("qd-2 is a hot standby of gw-qingdao") && h.Reason.Contains("its agent reports qd-1 serving"));
    }

    [Fact]
    public void A_pod_on_a_standby_goes_to_the_serving_endpoint_like_any_members()
    {
        var f = TraceFixture.Seed().Standby("gw-qingdao", "qd-2", "198.51.100.22");

        var report = f.Trace("p-qd-2", "p-cloud-2");

        Kinds(report.Hops).Should().ContainInOrder("node qd-2", "vxlan qd-2 -> qd-1", "gateway qd-1", "tunnel qd-1 -> cloud-1");
        report.Hops.Single(h => h.Kind == "vxlan" && h.Name == "qd-2 -> qd-1").Reason
            .Should().Contain("qd-2 is a hot standby of gw-qingdao, but only its own traffic (from 172.16.1.90) uses its own tunnel: this packet (from 10.244.17.2)");
        report.Symmetry!.Symmetric.Should().BeTrue();
    }

    [Fact]
    public void Where_the_backend_routes_no_standby_pairs_a_standbys_own_traffic_goes_to_the_serving_endpoint()
    {
        var f = TraceFixture.Seed().Standby("gw-qingdao", "qd-2", "198.51.100.22");
        f.AgentConfig = new Dictionary<string, string> { [WellKnown.VpnDriverConfigKey] = "ipsec" };

        var report = f.Trace("qd-2", "p-cloud-2");

        Kinds(report.Hops).Should().StartWith(["node qd-2", "vxlan qd-2 -> qd-1", "gateway qd-1"]);
        report.Hops[1].Reason.Should().Contain("qd-2 is a hot standby of gw-qingdao, but the agents' plan gives its own traffic no route of its own (ipsec routes no standby pairs");
    }

    [Fact]
    public void A_standby_behind_NAT_stays_relayed_where_its_serving_endpoint_could_punch()
    {
        var f = TraceFixture.Seed().Standby("gw-qingdao", "qd-2", "198.51.100.22");
        foreach (var (gateway, node, port) in new[] { ("gw-hangzhou", "hz-1", 40001), ("gw-qingdao", "qd-2", 40002) })
        {
            var tunnel = f.Gateway(gateway).Status.ActiveEndpoints!.Single(e => e.Type == WellKnown.EndpointTypeTunnel && e.NodeName == node);
            tunnel.NATType = Raven.Agent.Nat.UpstreamNatType.RestrictedCone;
            tunnel.PublicPort = port;
        }

        var report = f.Trace("qd-2", "p-hz-2");

        Kinds(report.Hops).Should().StartWith(["gateway qd-2", "tunnel qd-2 -> cloud-1", "relay cloud-1", "tunnel cloud-1 -> hz-1"]);
        report.Hops[1].Reason.Should().Contain("only the serving endpoint punches: qd-2 stands by, so its own traffic stays relayed");
        Kinds(report.ReplyHops!).Should().ContainInOrder("relay cloud-1", "tunnel cloud-1 -> qd-2", "gateway qd-2");
    }

    [Fact]
    public void The_serving_endpoint_sends_into_the_tunnel_itself_without_a_raven0_hop()
    {
        var report = TraceFixture.Seed().Trace("qd-1", "p-cloud-2");

        Kinds(report.Hops).Should().Equal("gateway qd-1", "tunnel qd-1 -> cloud-1", "gateway cloud-1", "vxlan cloud-1 -> cloud-2", "node cloud-2", "pod default/p-cloud-2");
        report.Hops[0].Reason.Should().Contain("qd-1 is gw-qingdao's serving tunnel endpoint itself: the packet enters the tunnel here, no raven0 hop")
            .And.Contain("its agent claims serving at epoch 1");
        report.Hops[0].Address.Should().Be("172.16.1.89");
        Kinds(report.ReplyHops!).Should().EndWith(["tunnel cloud-1 -> qd-1", "gateway qd-1"]);
        report.Symmetry!.Symmetric.Should().BeTrue();
        report.Verdict.Should().Be(TraceHealth.Ok);

        var fromPod = TraceFixture.Seed().Trace("p-qd-1", "p-cloud-2");
        Kinds(fromPod.Hops).Should().StartWith(["pod default/p-qd-1", "gateway qd-1", "tunnel qd-1 -> cloud-1"]);
        fromPod.Hops[1].Reason.Should().StartWith("the source pod's node (spec.nodeName); qd-1 is gw-qingdao's serving tunnel endpoint itself");
    }
}
