using Raven.Kube.Observability;
using static Raven.Controller.Tests.Integration.TestCluster;

namespace Raven.Controller.Tests.Integration;

/// <summary>The controller's /metrics as Prometheus scrapes it, while it reconciles against the embedded API server.</summary>
public sealed class ControllerMetricsEndpointTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Metrics_endpoint_counts_reconciles_in_a_histogram_beside_the_process_series()
    {
        await _cluster.AddNodeAsync("hz-1", "gw-hangzhou", "172.16.2.103", "10.244.18.0/24");
        await _cluster.Gateways.CreateAsync(Gateway("gw-hangzhou", null, 1, 1, Ep("hz-1", "tunnel", true), Ep("hz-1", "proxy", true)));
        var controller = _cluster.StartController();
        await using var probes = await ProbeServer.StartAsync("127.0.0.1:0", () => controller.NotReadyReason, controller.Metrics.Registry, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(probes.Url) };
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");
        var first = await EventuallyAsync(() => ScrapeAsync(http), s => PickupCount(s) >= 1, "a counted gateway-pickup reconcile");

        await _cluster.AddNodeAsync("hz-2", "gw-hangzhou", "172.16.2.104", "10.244.19.0/24");
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => g.Status.Nodes?.Count == 2, "hz-2 in status.nodes");
        // A scrape may land between a reconcile's counter and its histogram update, so poll for a settled one.
        var second = await EventuallyAsync(() => ScrapeAsync(http),
            s => PickupCount(s) > PickupCount(first) && Pickup(s, "raven_controller_reconciles_total") == PickupCount(s), "the new node's reconcile counted");

        Pickup(second, "raven_controller_reconcile_seconds_total").Should().BeApproximately(Pickup(second, "raven_controller_reconcile_duration_seconds_sum"), 1e-3,
            "the old counter and the histogram's sum add up the same passes");
        second.Should().Contain(s => s.Name == "raven_controller_reconcile_duration_seconds_bucket" && s.Labels["controller"] == "gateway-pickup" && s.Labels["le"] == "+Inf");
        second.Should().ContainSingle(s => s.Name == "raven_gateway_active_endpoints" && s.Labels["gateway"] == "gw-hangzhou" && s.Labels["type"] == "tunnel")
            .Which.Value.Should().Be(1);
        second.Select(s => s.Name).Should().Contain(["process_cpu_seconds_total", "process_start_time_seconds", "dotnet_collection_count_total"]);
    }

    private static double PickupCount(IReadOnlyList<PrometheusText.Sample> samples) => Pickup(samples, "raven_controller_reconcile_duration_seconds_count");

    private static double Pickup(IReadOnlyList<PrometheusText.Sample> samples, string name) =>
        samples.FirstOrDefault(s => s.Name == name && s.Labels.GetValueOrDefault("controller") == "gateway-pickup")?.Value ?? -1;

    private static async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync(HttpClient http) =>
        PrometheusText.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
}
