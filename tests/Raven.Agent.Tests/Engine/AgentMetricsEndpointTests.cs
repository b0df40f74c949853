using Raven.Agent.Engine;
using Raven.Agent.Tunnel;
using Raven.Kube.Observability;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Engine;

/// <summary>The agent's /metrics as Prometheus scrapes it: over HTTP, parsed from the text exposition.</summary>
public sealed class AgentMetricsEndpointTests
{
    [Fact]
    public async Task Metrics_endpoint_serves_the_apply_histogram_and_the_process_and_runtime_series()
    {
        var metrics = new AgentMetrics();
        await using var probes = await ProbeServer.StartAsync("127.0.0.1:0", () => null, metrics.Registry, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(probes.Url) };
        var before = await ScrapeAsync(http);

        metrics.RecordApply(Report(TimeSpan.FromMilliseconds(20), failed: false));
        metrics.RecordApply(Report(TimeSpan.FromMilliseconds(3), failed: true));
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var after = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        Value(before, "raven_agent_apply_duration_seconds_count").Should().Be(0);
        Value(after, "raven_agent_apply_duration_seconds_count").Should().Be(2);
        Value(after, "raven_agent_apply_duration_seconds_sum").Should().BeApproximately(0.023, 1e-9);
        Value(after, "raven_agent_apply_duration_seconds_bucket", ("le", "0.004")).Should().Be(1, "the 3 ms pass");
        Value(after, "raven_agent_apply_duration_seconds_bucket", ("le", "+Inf")).Should().Be(2);
        Value(after, "raven_agent_applies_total").Should().Be(2);
        Value(after, "raven_agent_apply_errors_total").Should().Be(1);
        after.Select(s => s.Name).Should().Contain(["process_cpu_seconds_total", "process_start_time_seconds", "process_working_set_bytes",
            "dotnet_collection_count_total", "dotnet_total_memory_bytes"]);
        Value(after, "process_start_time_seconds").Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Two_agents_in_one_process_have_their_own_series()
    {
        var first = new AgentMetrics();
        var second = new AgentMetrics();
        await using var firstProbes = await ProbeServer.StartAsync("127.0.0.1:0", () => null, first.Registry, CancellationToken.None);
        await using var secondProbes = await ProbeServer.StartAsync("127.0.0.1:0", () => null, second.Registry, CancellationToken.None);
        using var firstHttp = new HttpClient { BaseAddress = new Uri(firstProbes.Url) };
        using var secondHttp = new HttpClient { BaseAddress = new Uri(secondProbes.Url) };

        first.RecordApply(Report(TimeSpan.FromMilliseconds(5), failed: false));
        second.RecordPeers([new VpnPeerStatus("k1", null, 7, 9)], new Dictionary<string, string> { ["k1"] = "edge1" }, DateTimeOffset.UtcNow);
        var firstSamples = await ScrapeAsync(firstHttp);
        var secondSamples = await ScrapeAsync(secondHttp);

        Value(firstSamples, "raven_agent_apply_duration_seconds_count").Should().Be(1);
        Value(secondSamples, "raven_agent_apply_duration_seconds_count").Should().Be(0);
        Value(secondSamples, "raven_agent_wireguard_rx_bytes", ("peer", "edge1")).Should().Be(7);
        firstSamples.Should().NotContain(s => s.Name == "raven_agent_wireguard_rx_bytes");
        secondSamples.Should().Contain(s => s.Name == "process_cpu_seconds_total", "each agent's registry has its own process collectors");
    }

    private static ApplyReport Report(TimeSpan took, bool failed) =>
        new(Plan("cloud-w1", CloudAndTwoNatedEdges()), 0, 0, 0, false, 3, failed ? ["routing: boom"] : [], took);

    private static async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync(HttpClient http) =>
        PrometheusText.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Should().ContainSingle(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value),
            $"one {name} sample with labels {string.Join(",", labels)}").Which.Value;
}
