using Prometheus;
using Raven.Agent.Engine;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Paths;
using Raven.Agent.Planning;
using Raven.Kube.Observability;

namespace Raven.Agent.Tests.Engine;

/// <summary>The path series as a scrape of a registry of their own reads them: values, the chosen path, series that go.</summary>
public sealed class PathMetricsTests
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly PathMetrics _metrics;

    public PathMetricsTests() => _metrics = new PathMetrics(_registry);

    [Fact]
    public async Task Each_candidate_path_has_its_rtt_loss_and_cost_and_the_chosen_one_is_marked()
    {
        _metrics.Record([Edge2(chosen: "direct"), Cloud()]);
        var samples = await ScrapeAsync();

        Value(samples, "raven_agent_path_rtt_seconds", "edge2", "direct").Should().BeApproximately(0.0374, 1e-12);
        Value(samples, "raven_agent_path_loss_ratio", "edge2", "direct").Should().Be(0);
        Value(samples, "raven_agent_path_cost_seconds", "edge2", "direct").Should().BeApproximately(0.0374, 1e-12);
        Value(samples, "raven_agent_path_rtt_seconds", "edge2", "relay:cloud").Should().BeApproximately(0.0547, 1e-12);
        Value(samples, "raven_agent_path_loss_ratio", "edge2", "relay:cloud").Should().Be(0.01);
        Value(samples, "raven_agent_path_cost_seconds", "edge2", "relay:cloud").Should().BeApproximately(0.0647, 1e-12);
        Value(samples, "raven_agent_path_chosen", "edge2", "direct").Should().Be(1);
        Value(samples, "raven_agent_path_chosen", "edge2", "relay:cloud").Should().Be(0);
        Value(samples, "raven_agent_path_chosen", "cloud", "direct").Should().Be(1);
    }

    [Fact]
    public async Task A_number_that_is_not_measured_or_not_usable_has_no_series()
    {
        _metrics.Record([new DomainPaths("edge2", "relay:cloud", PunchStage.Relayed,
        [
            new PathReading("direct", HealthState.Unknown, null, null, null),
            new PathReading("relay:cloud", HealthState.Down, 54.7, 1, null),
        ])]);
        var samples = await ScrapeAsync();

        Series(samples, "edge2", "direct").Should().Equal("raven_agent_path_chosen");
        Series(samples, "edge2", "relay:cloud").Should().BeEquivalentTo("raven_agent_path_chosen", "raven_agent_path_rtt_seconds", "raven_agent_path_loss_ratio");
    }

    [Fact]
    public async Task Series_of_a_path_or_domain_that_went_are_removed()
    {
        _metrics.Record([Edge2(chosen: "direct"), Cloud()]);
        _metrics.Record([Edge2(chosen: "relay:cloud") with { Paths = [Edge2(chosen: "relay:cloud").Paths[1]] }]);
        var samples = await ScrapeAsync();

        samples.Where(s => s.Name.StartsWith("raven_agent_path_", StringComparison.Ordinal))
            .Select(s => (s.Labels["domain"], s.Labels["path"])).Distinct().Should().Equal([("edge2", "relay:cloud")]);
        Value(samples, "raven_agent_path_chosen", "edge2", "relay:cloud").Should().Be(1);

        _metrics.Record([]);
        (await ScrapeAsync()).Should().NotContain(s => s.Name.StartsWith("raven_agent_path_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_source_every_scrape_reads_the_current_paths()
    {
        var registry = Metrics.NewCustomRegistry();
        IReadOnlyList<DomainPaths> current = [Cloud()];
        _ = new PathMetrics(registry, () => current);

        var first = await ScrapeAsync(registry);
        current = [Edge2(chosen: "direct")];
        var second = await ScrapeAsync(registry);

        first.Where(s => s.Name == "raven_agent_path_chosen").Select(s => s.Labels["domain"]).Should().Equal("cloud");
        second.Where(s => s.Name == "raven_agent_path_chosen").Select(s => s.Labels["domain"]).Distinct().Should().Equal("edge2");
    }

    private static DomainPaths Edge2(string chosen) => new("edge2", chosen, PunchStage.Direct,
    [
        new PathReading("direct", HealthState.Up, 37.4, 0, 37.4),
        new PathReading("relay:cloud", HealthState.Up, 54.7, 0.01, 64.7, Kept: true),
    ]);

    private static DomainPaths Cloud() => new("cloud", "direct", null, [new PathReading("direct", HealthState.Up, 20, 0, 20)]);

    private Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync() => ScrapeAsync(_registry);

    private static async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static IEnumerable<string> Series(IReadOnlyList<PrometheusText.Sample> samples, string domain, string path) =>
        samples.Where(s => s.Labels.GetValueOrDefault("domain") == domain && s.Labels.GetValueOrDefault("path") == path).Select(s => s.Name);

    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, string domain, string path) =>
        samples.Should().ContainSingle(s => s.Name == name && s.Labels.GetValueOrDefault("domain") == domain && s.Labels.GetValueOrDefault("path") == path,
            $"one {name} sample for {domain}/{path}").Which.Value;
}
