using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Paths;
using Raven.Agent.Health.Wiring;
using Raven.Agent.Nat;
using Raven.Agent.Planning;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// What the metrics show per remote domain, from a real plan of edge1's gateway (cloud dialled directly, edge2 a
/// punched pair relayed through the cloud) and fake probe numbers: which probe measures which path at each stage.
/// </summary>
public sealed class PathReportTests
{
    private static readonly PathCostOptions Costs = new();
    private readonly Dictionary<string, ProbeStatistics> _probes = new(StringComparer.Ordinal)
    {
        [HealthTargets.Tunnel("cloud", "cloud-gw")] = Up(20),
        [HealthTargets.Tunnel("edge2", "edge2-gw")] = Up(54.7, loss: 0.01),
        [HealthTargets.Direct("edge2", "edge2-gw")] = Up(37.4),
    };

    [Fact]
    public void A_pair_that_is_not_punched_has_its_planned_path_measured_by_the_tunnel_probe_and_chosen()
    {
        var cloud = Report(PunchStage.Relayed).Single(d => d.Domain == "cloud");

        cloud.Should().BeEquivalentTo(new DomainPaths("cloud", "direct", null,
            [new PathReading("direct", HealthState.Up, 20, 0, 20)]));
    }

    [Fact]
    public void Relayed_the_relay_is_measured_live_and_the_direct_path_not_at_all()
    {
        var edge2 = Report(PunchStage.Relayed).Single(d => d.Domain == "edge2");

        edge2.Chosen.Should().Be("relay:cloud");
        edge2.Punch.Should().Be(PunchStage.Relayed);
        edge2.Paths.Should().BeEquivalentTo(new[]
        {
            new PathReading("direct", HealthState.Unknown, null, null, null),
            new PathReading("relay:cloud", HealthState.Up, 54.7, 0.01, 64.7),
        }, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-9)).WhenTypeIs<double>());
    }

    [Theory]
    [InlineData(PunchStage.Trial, "relay:cloud")]
    [InlineData(PunchStage.Direct, "direct")]
    public void On_trial_and_direct_the_direct_probe_measures_the_punched_path_and_the_relay_shows_its_kept_numbers(PunchStage stage, string chosen)
    {
        var kept = new Dictionary<string, PathMeasurement>(StringComparer.Ordinal)
        {
            ["edge2"] = new PathMeasurement("relay", HealthState.Up, TimeSpan.FromMilliseconds(60), 0),
        };

        var edge2 = Report(stage, kept).Single(d => d.Domain == "edge2");

        edge2.Chosen.Should().Be(chosen);
        edge2.Paths.Should().BeEquivalentTo(new[]
        {
            new PathReading("direct", HealthState.Up, 37.4, 0, 37.4),
            new PathReading("relay:cloud", HealthState.Up, 60, 0, 60, Kept: true),
        }, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-9)).WhenTypeIs<double>());
    }

    [Fact]
    public void An_unprobed_or_down_path_has_no_cost()
    {
        _probes.Remove(HealthTargets.Tunnel("cloud", "cloud-gw"));
        _probes[HealthTargets.Tunnel("edge2", "edge2-gw")] = Stats(HealthState.Down, 54.7, 1);

        var report = Report(PunchStage.Relayed);

        report.Single(d => d.Domain == "cloud").Paths.Single().Should().Be(new PathReading("direct", HealthState.Unknown, null, null, null));
        report.Single(d => d.Domain == "edge2").Paths[1].Should().Match<PathReading>(p => p.State == HealthState.Down && p.CostMilliseconds == null && p.LossRatio == 1);
    }

    [Fact]
    public void Nodes_that_are_not_the_serving_tunnel_endpoint_report_nothing()
    {
        var member = new Planner().Plan(Edges(), new LocalNode("edge1-w1", null), Options with { ForwardNodeIp = true });

        PathReport.Build(member, _ => "cloud-gw", _probes.GetValueOrDefault, new Dictionary<string, PathMeasurement>(), Costs).Should().BeEmpty();
        PathReport.Build(null, _ => null, _probes.GetValueOrDefault, new Dictionary<string, PathMeasurement>(), Costs).Should().BeEmpty();
    }

    private IReadOnlyList<DomainPaths> Report(PunchStage stage, IReadOnlyDictionary<string, PathMeasurement>? kept = null)
    {
        var plan = new Planner().Plan(Edges(), new LocalNode("edge1-gw", null)
        {
            PunchedPaths = new Dictionary<string, PunchStage>(StringComparer.Ordinal) { ["edge2"] = stage },
        }, Options with { ForwardNodeIp = true });
        var serving = new Dictionary<string, string>(StringComparer.Ordinal) { ["cloud"] = "cloud-gw", ["edge2"] = "edge2-gw" };
        return PathReport.Build(plan, serving.GetValueOrDefault, _probes.GetValueOrDefault, kept ?? new Dictionary<string, PathMeasurement>(), Costs);
    }

    /// <summary>The fixture's cloud and two edges behind port-restricted cones, as NAT discovery publishes them: a punchable pair.</summary>
    private static Gateway[] Edges()
    {
        var gateways = CloudAndTwoNatedEdges();
        foreach (var (gateway, port) in new[] { (gateways[1], 4500), (gateways[2], 4600) })
        {
            var endpoint = gateway.Status.ActiveEndpoints![0];
            endpoint.PublicPort = port;
            endpoint.NATType = UpstreamNatType.PortRestrictedCone;
        }

        return gateways;
    }

    private static ProbeStatistics Up(double rttMs, double loss = 0) => Stats(HealthState.Up, rttMs, loss);

    private static ProbeStatistics Stats(HealthState state, double rttMs, double loss) =>
        new(state, 0, 0, 0, 0, 0, 0, 0, loss, null, TimeSpan.FromMilliseconds(rttMs), null, null, 0, null);
}
