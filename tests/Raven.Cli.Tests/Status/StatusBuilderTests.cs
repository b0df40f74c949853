using Raven.Api.DataPlane;
using Raven.Cli.Status;
using static Raven.Cli.Tests.Status.ClusterFixture;

namespace Raven.Cli.Tests.Status;

public sealed class StatusBuilderTests
{
    [Fact]
    public void A_healthy_cluster_has_no_problems_and_every_endpoint_its_role()
    {
        var report = TwoDomains().Report();

        report.Problems.Should().BeEmpty();
        report.TunnelEnabled.Should().BeTrue();
        var hangzhou = report.Gateways.Single(g => g.Name == "gw-hangzhou");
        hangzhou.ServingTunnel.Should().Be("hz-1");
        hangzhou.TunnelEndpoints.Select(t => (t.NodeName, t.Role)).Should().Equal(
            ("hz-1", EndpointRoles.Serving), ("hz-2", EndpointRoles.Standby), ("hz-3", EndpointRoles.Candidate));
        var serving = hangzhou.TunnelEndpoints[0];
        serving.Claim.Should().Be("serving at epoch 1");
        (serving.SentThroughBy, serving.Reporters).Should().Be((4, 4));
        hangzhou.TunnelEndpoints[1].Claim.Should().Be("standby (epoch 1)");
        hangzhou.ProxyEndpoints.Should().ContainSingle().Which.Should().Be(new ProxyEndpointReport("hz-1", EndpointRoles.Active, null));
        hangzhou.Nodes.Select(n => n.Name).Should().Equal("hz-1", "hz-2", "hz-3", "hz-4");
        hangzhou.Nodes[3].Should().Be(new NodeReport("hz-4", true, "172.16.2.4", 2, true, "hz-1"));
        report.Gateways.Single(g => g.Name == "gw-cloud").ExposeType.Should().Be("PublicIP");
        report.NodesWithoutGateway.Should().BeEmpty();
    }

    /// <summary>Each situation an operator meets, and the one problem it must show (others may come with it).</summary>
    public static TheoryData<string> Situations => [.. Cases.Keys];

    private static readonly Dictionary<string, (Action<ClusterFixture> Break, string Severity, string Subject, string Message)> Cases = new()
    {
        ["no serving tunnel endpoint"] = (f => f.GatewayNamed("gw-hangzhou").Status.ActiveEndpoints!.RemoveAll(e => e.Type == "tunnel"),
            StatusProblem.Error, "gateway gw-hangzhou", "no serving tunnel endpoint: none of its tunnel endpoints is elected"),
        ["no tunnel endpoint in spec"] = (f => { f.GatewayNamed("gw-hangzhou").Spec.Endpoints!.RemoveAll(e => e.Type == "tunnel"); f.GatewayNamed("gw-hangzhou").Status.ActiveEndpoints!.RemoveAll(e => e.Type == "tunnel"); },
            StatusProblem.Error, "gateway gw-hangzhou", "spec.endpoints lists no endpoint of type tunnel"),
        ["no active proxy endpoint"] = (f => f.GatewayNamed("gw-cloud").Status.ActiveEndpoints!.RemoveAll(e => e.Type == "proxy"),
            StatusProblem.Error, "gateway gw-cloud", "no active proxy endpoint"),
        ["endpoint names a missing node"] = (f => f.GatewayNamed("gw-hangzhou").Spec.Endpoints!.Add(Tunnel("hz-9")),
            StatusProblem.Error, "gateway gw-hangzhou", "tunnel endpoint hz-9: there is no node hz-9"),
        ["endpoint names another domain's node"] = (f => f.GatewayNamed("gw-cloud").Spec.Endpoints!.Add(Tunnel("hz-4")),
            StatusProblem.Error, "gateway gw-cloud", "tunnel endpoint hz-4: node hz-4 is a member of gateway gw-hangzhou, so it is never elected here"),
        ["serving endpoint NotReady"] = (f => f.Node("hz-1", "gw-hangzhou", "172.16.2.1", ready: false),
            StatusProblem.Error, "node hz-1", "NotReady (an active endpoint)"),
        ["candidate NotReady"] = (f => f.Node("hz-3", "gw-hangzhou", "172.16.2.3", ready: false),
            StatusProblem.Warning, "node hz-3", "NotReady"),
        ["member's agent lease expired"] = (f => f.Lease("hz-4", renewedAgo: 45, duration: 15),
            StatusProblem.Warning, "node hz-4", "agent Lease expired 30 s ago"),
        ["serving endpoint's agent lease expired"] = (f => f.Lease("hz-1", renewedAgo: 20, duration: 15),
            StatusProblem.Error, "node hz-1", "agent Lease expired 5 s ago: the agent stopped renewing it (an active endpoint)"),
        ["no agent lease"] = (f => f.NoLease("hz-4"),
            StatusProblem.Warning, "node hz-4", "no agent Lease kube-system/raven-agent-hz-4"),
        ["node in no gateway"] = (f => f.Node("edge-1", null, "192.168.9.1").Lease("edge-1"),
            StatusProblem.Warning, "node edge-1", "in no gateway"),
        ["node labelled for a missing gateway"] = (f => f.Node("sz-1", "gw-shenzhen", "172.16.3.1").Lease("sz-1"),
            StatusProblem.Error, "node sz-1", "labelled raven.openyurt.io/gateway=gw-shenzhen, but there is no Gateway gw-shenzhen"),
        ["node without InternalIP"] = (f => f.Node("hz-4", "gw-hangzhou", ""),
            StatusProblem.Error, "node hz-4", "status.addresses: no InternalIP address"),
        ["claims disagree with status"] = (TookOverUnrecorded,
            StatusProblem.Warning, "gateway gw-hangzhou", "the data plane serves the domain through hz-2 (serving at epoch 2), but status.activeEndpoints lists hz-1 first"),
        ["two endpoints claim serving"] = (TookOverUnrecorded,
            StatusProblem.Warning, "gateway gw-hangzhou", "2 tunnel endpoints claim serving at once (hz-1 serving at epoch 1, hz-2 serving at epoch 2)"),
        ["members send through a non-serving endpoint"] = (TookOverUnrecorded,
            StatusProblem.Warning, "gateway gw-hangzhou", "3 agent(s) of the domain send through another endpoint than the serving hz-1: hz-2 via hz-2, hz-3 via hz-2, hz-4 via hz-2"),
        ["status lists an endpoint the spec dropped"] = (f => f.GatewayNamed("gw-hangzhou").Spec.Endpoints!.RemoveAll(e => e.NodeName == "hz-2"),
            StatusProblem.Warning, "gateway gw-hangzhou", "status.activeEndpoints lists tunnel endpoint hz-2, which spec.endpoints no longer has"),
        ["raven-cfg missing"] = (f => f.RavenCfg = null,
            StatusProblem.Error, "kube-system/raven-cfg", "missing: the controller elects no endpoints"),
        ["no exposed gateway"] = (f => f.GatewayNamed("gw-cloud").Spec.ExposeType = null,
            StatusProblem.Warning, "cluster", "no exposed Gateway"),
    };

    [Theory]
    [MemberData(nameof(Situations))]
    public void Each_situation_shows_its_problem(string situation)
    {
        var (breakIt, severity, subject, message) = Cases[situation];
        var fixture = TwoDomains();
        breakIt(fixture);

        var report = fixture.Report();

        report.Problems.Should().Contain(p => p.Severity == severity && p.Subject == subject && p.Message.Contains(message),
            $"the problems were:\n{string.Join('\n', report.Problems.Select(p => $"{p.Severity} {p}"))}");
    }

    [Fact]
    public void Errors_come_before_warnings()
    {
        var fixture = TwoDomains();
        fixture.Node("edge-1", null, "192.168.9.1").Lease("edge-1"); // warning, found last
        fixture.Lease("hz-4", renewedAgo: 60);                       // warning
        fixture.Node("hz-1", "gw-hangzhou", "172.16.2.1", ready: false); // error

        var severities = fixture.Report().Problems.Select(p => p.Severity).ToList();

        severities.Should().HaveCountGreaterThan(2);
        severities.Should().BeInAscendingOrder(StringComparer.Ordinal, "\"error\" sorts before \"warning\"");
        severities[0].Should().Be(StatusProblem.Error);
    }

    [Fact]
    public void A_claim_on_an_expired_lease_counts_for_nothing()
    {
        var fixture = TookOver(TwoDomains());
        fixture.Lease("hz-2", renewedAgo: 60, report: Report(new DataPlaneClaim { Serving = true, Epoch = 2 }, ("gw-hangzhou", "hz-2")));
        fixture.Lease("hz-3", report: Report(null, ("gw-hangzhou", "hz-1")));
        fixture.Lease("hz-4", report: Report(null, ("gw-hangzhou", "hz-1")));

        var report = fixture.Report();

        report.Problems.Should().NotContain(p => p.Message.Contains("the data plane serves"));
        report.Gateways.Single(g => g.Name == "gw-hangzhou").TunnelEndpoints[1].Claim.Should().BeNull("a report is read only while its Lease is current");
    }

    [Fact]
    public void Roles_follow_status_order_once_the_controller_recorded_a_take_over()
    {
        var fixture = TookOver(TwoDomains());
        fixture.GatewayNamed("gw-hangzhou").Status.ActiveEndpoints!.Reverse(0, 2); // hz-2 first now

        var hangzhou = fixture.Report().Gateways.Single(g => g.Name == "gw-hangzhou");

        hangzhou.ServingTunnel.Should().Be("hz-2");
        hangzhou.TunnelEndpoints.Select(t => t.Role).Should().Equal(EndpointRoles.Standby, EndpointRoles.Serving, EndpointRoles.Candidate);
        hangzhou.TunnelEndpoints[1].SentThroughBy.Should().Be(3);
    }

    /// <summary>hz-2 took the domain over at epoch 2 and hz-3, hz-4 follow it; hz-1 still claims epoch 1.</summary>
    private static ClusterFixture TookOver(ClusterFixture f) => f
        .Lease("hz-2", report: Report(new DataPlaneClaim { Serving = true, Epoch = 2 }, ("gw-hangzhou", "hz-2")))
        .Lease("hz-3", report: Report(null, ("gw-hangzhou", "hz-2")))
        .Lease("hz-4", report: Report(null, ("gw-hangzhou", "hz-2")));

    private static void TookOverUnrecorded(ClusterFixture f) => TookOver(f);
}
