using Prometheus;
using Raven.Agent.Engine;
using Raven.Agent.Tunnel;
using Raven.Kube.Observability;
using static Raven.Agent.Tests.Engine.ConnectionReportFixtures;

namespace Raven.Agent.Tests.Engine;

/// <summary>The per-connection series as a scrape reads them: each endpoint of a domain its own, packets only where counted.</summary>
public sealed class ConnectionMetricsTests
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly ConnectionMetrics _metrics;

    public ConnectionMetricsTests() => _metrics = new ConnectionMetrics(_registry);

    private static Dictionary<string, int> Reconnects(int qd2) => new(StringComparer.Ordinal) { ["key-qd-2"] = qd2 };

    [Fact]
    public async Task Serving_and_standby_connections_of_one_domain_have_their_own_state_age_and_reconnects()
    {
        _metrics.Record(ConnectionReportRenderer.RenderWhole(ServingPlan(), Paths(), [Connection("qd-2"), Connection("qd-3", TunnelConnectionState.Down)], Reconnects(2), Now));
        var samples = await ScrapeAsync();

        Value(samples, "raven_agent_tunnel_connection_state", "qd-2", "up").Should().Be(1);
        Value(samples, "raven_agent_tunnel_connection_state", "qd-2", "down").Should().Be(0);
        Value(samples, "raven_agent_tunnel_connection_state", "qd-3", "down").Should().Be(1);
        Value(samples, "raven_agent_tunnel_connection_handshake_age_seconds", "qd-2").Should().Be(20);
        Value(samples, "raven_agent_tunnel_connection_reconnects", "qd-2").Should().Be(2);
        Value(samples, "raven_agent_tunnel_connection_reconnects", "qd-3").Should().Be(0);
        samples.Should().NotContain(s => s.Name.EndsWith("_packets", StringComparison.Ordinal), "WireGuard counts no packets");
    }

    [Fact]
    public async Task Packets_are_shown_where_the_backend_counts_them_and_a_member_has_no_series()
    {
        var ipsec = Connection("qd-2") with { RxPackets = 7, TxPackets = 9 };
        _metrics.Record(ConnectionReportRenderer.RenderWhole(ServingPlan(), Paths(), [ipsec], Reconnects(0), Now));
        var samples = await ScrapeAsync();
        Value(samples, "raven_agent_tunnel_connection_rx_packets", "qd-2").Should().Be(7);
        Value(samples, "raven_agent_tunnel_connection_tx_packets", "qd-2").Should().Be(9);

        _metrics.Record(null);
        (await ScrapeAsync()).Should().NotContain(s => s.Name.StartsWith("raven_agent_tunnel_connection_", StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, string node, string? state = null) =>
        samples.Should().ContainSingle(s => s.Name == name && s.Labels.GetValueOrDefault("node") == node && s.Labels.GetValueOrDefault("gateway") == "gw-qingdao"
                && s.Labels.GetValueOrDefault("backend") == "wireguard" && (state == null || s.Labels.GetValueOrDefault("state") == state),
            $"one {name} sample for {node} {state}").Which.Value;
}
