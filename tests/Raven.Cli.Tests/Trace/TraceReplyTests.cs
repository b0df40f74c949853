using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Cli.Tests.Status;
using Raven.Cli.Trace;

namespace Raven.Cli.Tests.Trace;

/// <summary>The reply direction (DST back to SRC) and whether it mirrors the request.</summary>
public sealed class TraceReplyTests
{
    private static string[] Kinds(IEnumerable<TraceHop> hops) => [.. hops.Select(h => $"{h.Kind} {h.Name}")];

    [Fact]
    public void In_the_common_case_the_reply_takes_the_mirror_path()
    {
        var report = TraceFixture.Seed().Trace("p-hz-2", "p-qd-2");

        Kinds(report.ReplyHops!).Should().Equal("pod default/p-qd-2", "node qd-2", "vxlan qd-2 -> qd-1", "gateway qd-1", "tunnel qd-1 -> cloud-1", "relay cloud-1",
            "tunnel cloud-1 -> hz-1", "gateway hz-1", "vxlan hz-1 -> hz-2", "node hz-2", "pod default/p-hz-2");
        report.ReplyHops![0].Reason.Should().StartWith("replying pod");
        report.ReplyHops[^1].Reason.Should().StartWith("original source pod");
        report.Symmetry!.Symmetric.Should().BeTrue();
        report.Symmetry.Summary.Should().Be("symmetric: the reply takes the mirror path (qd-1 -> cloud-1 -> hz-1, relayed via gw-cloud (cloud-1))");
        report.Symmetry.Differences.Should().BeEmpty();
        report.Verdict.Should().Be(TraceHealth.Ok);
    }

    [Fact]
    public void A_side_that_punched_goes_direct_while_the_other_still_relays()
    {
        var f = TraceFixture.Seed()
            .Connections("hz-1", Report(new DomainConnection
            {
                Domain = "gw-qingdao", Path = "direct", Via = "qd-1", Reason = "punched",
                Candidates = [new PathCostReport { Path = "direct", State = "up", RttMilliseconds = 4 }, new PathCostReport { Path = "relay:gw-cloud", State = "up", RttMilliseconds = 11 }],
            }, Up("gw-qingdao", "qd-1")))
            .Connections("qd-1", Report(new DomainConnection
            {
                Domain = "gw-hangzhou", Path = "relay:gw-cloud", Via = "hz-1", Reason = "punch on trial",
                Candidates = [new PathCostReport { Path = "relay:gw-cloud", State = "up", RttMilliseconds = 11 }],
            }, Up("gw-cloud", "cloud-1")));

        var report = f.Trace("p-hz-2", "p-qd-2");

        Kinds(report.Hops).Should().Contain("tunnel hz-1 -> qd-1").And.NotContain("relay cloud-1");
        Kinds(report.ReplyHops!).Should().ContainInOrder("gateway qd-1", "tunnel qd-1 -> cloud-1", "relay cloud-1", "tunnel cloud-1 -> hz-1", "gateway hz-1");
        report.Symmetry!.Symmetric.Should().BeFalse();
        report.Symmetry.Summary.Should().Be("asymmetric: the request goes direct, the reply relayed via gw-cloud (cloud-1)");
        report.Symmetry.Differences.Should().ContainSingle().Which.Should()
            .Be("the request goes direct (as hz-1's agent measures it: punched), the reply relayed via gw-cloud (cloud-1) (as qd-1's agent measures it: punch on trial)");
        report.Verdict.Should().Be(TraceHealth.Ok, "both directions arrive");
    }

    [Fact]
    public void A_serving_endpoint_its_own_agent_reports_differently_makes_the_reply_leave_elsewhere()
    {
        var f = TraceFixture.Seed().Standby("gw-cloud", "cloud-2", "203.0.113.20");
        // cloud-2 is taking gw-cloud over: its agent serves, the controller still lists cloud-1 first.
        f.Cluster.Lease("cloud-2", report: ClusterFixture.Report(new DataPlaneClaim { Serving = true, Epoch = 2 }, ("gw-cloud", "cloud-2")));

        var report = f.Trace("p-hz-2", "p-cloud-2");

        Kinds(report.Hops).Should().ContainInOrder("tunnel hz-1 -> cloud-1", "gateway cloud-1", "vxlan cloud-1 -> cloud-2");
        Kinds(report.ReplyHops!).Should().Equal("pod default/p-cloud-2", "gateway cloud-2", "tunnel cloud-2 -> hz-1", "gateway hz-1", "vxlan hz-1 -> hz-2", "node hz-2", "pod default/p-hz-2");
        var egress = report.ReplyHops![1];
        egress.Health.Should().Be(TraceHealth.Warn);
        egress.Reason.Should().Contain("cloud-2 is gw-cloud's serving tunnel endpoint itself").And.Contain("status.activeEndpoints lists cloud-1 first");
        report.Symmetry!.Symmetric.Should().BeFalse();
        report.Symmetry.Differences.Should().ContainSingle().Which.Should()
            .Be("gw-cloud: the request enters at cloud-1 (first of gw-cloud's status.activeEndpoints), the reply leaves through cloud-2 "
                + "(cloud-2's agent serves gw-cloud itself (its data-plane report), though status.activeEndpoints lists cloud-1 first)");
        report.Verdict.Should().Be(TraceHealth.Warn);
    }

    [Fact]
    public void A_reply_to_an_address_two_domains_claim_does_not_come_back()
    {
        // hz-1's node IP is also sz-1's: the request from it arrives, the reply to it is routed to neither domain.
        var report = TraceFixture.Seed().Trace("hz-1", "p-cloud-2");

        report.Hops.Should().OnlyContain(h => h.Health == TraceHealth.Ok);
        report.ReplyHops![^1].Should().Match<TraceHop>(h => h.Health == TraceHealth.Fail && h.Reason.Contains("172.16.2.103 is left out of the tunnel"));
        report.Symmetry!.Summary.Should().Be("asymmetric: the request gets through, its reply does not");
        report.ExitCode.Should().Be(1);
    }

    [Fact]
    public void The_L7_proxy_answers_over_the_connections_the_request_opened()
    {
        var report = TraceFixture.Seed().Trace("p-qd-2", "sz-2");

        Kinds(report.ReplyHops!).Should().Equal(Kinds(report.Hops.Reverse()).Select(k => k.Replace("gw-qingdao -> gw-shenzhen", "gw-shenzhen -> gw-qingdao", StringComparison.Ordinal)));
        report.Symmetry!.Symmetric.Should().BeTrue();
        report.Symmetry.Summary.Should().Contain("connection-oriented");
    }

    private static ConnectionReport Report(DomainConnection domain, params TunnelConnectionReport[] connections) => new()
    {
        SampledAt = ClusterFixture.Now.AddSeconds(-3), Backend = "wireguard", Role = "serving", Domains = [domain], Connections = connections,
    };

    private static TunnelConnectionReport Up(string gateway, string node) => new()
    {
        Gateway = gateway, Node = node, State = "up", LastHandshake = ClusterFixture.Now.AddSeconds(-20), RxBytes = 10, TxBytes = 10,
    };
}
