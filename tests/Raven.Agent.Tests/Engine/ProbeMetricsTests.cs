using System.Net;
using Prometheus;
using Raven.Agent.Engine;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Probing;
using Raven.Kube.Observability;

namespace Raven.Agent.Tests.Engine;

/// <summary>The probe series as a scrape of a registry of their own reads them: Up as 1, RTT and loss, series that go.</summary>
public sealed class ProbeMetricsTests
{
    [Fact]
    public async Task Each_target_shows_whether_it_is_up_with_its_rtt_and_loss_and_a_target_that_went_has_no_series()
    {
        var registry = Metrics.NewCustomRegistry();
        IReadOnlyList<ProbeTargetStatus> current =
        [
            Status("lan/hz-2", HealthState.Up, TimeSpan.FromMilliseconds(1.5), 0),
            Status("tunnel/gw-cloud/cloud-1", HealthState.Down, null, 1),
            Status("tunnel/gw-qingdao/qd-1", HealthState.Unknown, TimeSpan.FromMilliseconds(7), 0.5),
        ];
        _ = new ProbeMetrics(registry, () => current);

        var first = await ScrapeAsync(registry);
        current = [current[0]];
        var second = await ScrapeAsync(registry);

        Value(first, "raven_agent_probe_up", "lan/hz-2").Should().Be(1);
        Value(first, "raven_agent_probe_up", "tunnel/gw-cloud/cloud-1").Should().Be(0);
        Value(first, "raven_agent_probe_up", "tunnel/gw-qingdao/qd-1").Should().Be(0, "a target that has not settled is not Up");
        Value(first, "raven_agent_probe_rtt_seconds", "lan/hz-2").Should().BeApproximately(0.0015, 1e-12);
        Value(first, "raven_agent_probe_loss_ratio", "tunnel/gw-cloud/cloud-1").Should().Be(1);
        first.Should().NotContain(s => s.Name == "raven_agent_probe_rtt_seconds" && s.Labels["target"] == "tunnel/gw-cloud/cloud-1",
            "a target that never answered has no RTT");
        second.Where(s => s.Name.StartsWith("raven_agent_probe_", StringComparison.Ordinal)).Select(s => s.Labels["target"])
            .Distinct().Should().Equal("lan/hz-2");
    }

    private static ProbeTargetStatus Status(string name, HealthState state, TimeSpan? rtt, double loss) =>
        new(new ProbeTarget(name, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4473)), 1,
            new ProbeStatistics(state, 0, 0, 10, 10, 0, 0, 0, loss, rtt, rtt, null, null, 0, null), 0, 0, 0);

    private static async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, string target) =>
        samples.Should().ContainSingle(s => s.Name == name && s.Labels.GetValueOrDefault("target") == target, $"one {name} sample for {target}").Which.Value;
}
