using Prometheus;
using Raven.Api.DataPlane;

namespace Raven.Agent.Engine;

/// <summary>
/// Per tunnel connection, what <see cref="TunnelMetrics"/> does not already show (it labels by gateway only, so a
/// domain's serving and standby connections share its series): state, handshake or SA age, reconnects and packets,
/// labelled with the backend, the remote gateway and the remote endpoint's node. Read from the same report the Lease
/// carries (before its size budget), so metrics and <c>raven status</c> agree; a series goes with its connection.
/// </summary>
public sealed class ConnectionMetrics
{
    private static readonly string[] States = ["connecting", "up", "down"];
    private readonly Gauge _state;
    private readonly Gauge _handshakeAge;
    private readonly Gauge _reconnects;
    private readonly Gauge _rxPackets;
    private readonly Gauge _txPackets;
    private readonly GaugeSeriesSet _series = new();

    public ConnectionMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        string[] labels = ["backend", "gateway", "node"];
        _state = factory.CreateGauge("raven_agent_tunnel_connection_state",
            "1 for the connection's current state (connecting, up, down), 0 for the others", [.. labels, "state"]);
        _handshakeAge = factory.CreateGauge("raven_agent_tunnel_connection_handshake_age_seconds",
            "Seconds since the connection's last key exchange (WireGuard handshake, IPsec IKE SA start); absent when never", labels);
        _reconnects = factory.CreateGauge("raven_agent_tunnel_connection_reconnects",
            "Times the connection came up again after going down, since this agent started or the connection was configured", labels);
        _rxPackets = factory.CreateGauge("raven_agent_tunnel_connection_rx_packets", "Packets received over the connection; only where the backend counts them (IPsec)", labels);
        _txPackets = factory.CreateGauge("raven_agent_tunnel_connection_tx_packets", "Packets sent over the connection; only where the backend counts them (IPsec)", labels);
    }

    /// <summary>Sets the series to <paramref name="report"/>'s connections (null: none, a member).</summary>
    public void Record(ConnectionReport? report)
    {
        var now = new List<(Gauge, string[], double)>();
        foreach (var connection in report?.Connections ?? [])
        {
            string[] labels = [report!.Backend, connection.Gateway, connection.Node];
            now.AddRange(States.Select(s => (_state, (string[])[.. labels, s], s == connection.State ? 1.0 : 0.0)));
            now.Add((_reconnects, labels, connection.Reconnects));
            if (connection.LastHandshake is { } at)
            {
                now.Add((_handshakeAge, labels, Math.Max(0, (report.SampledAt - at).TotalSeconds)));
            }

            if (connection.RxPackets is { } rx)
            {
                now.Add((_rxPackets, labels, rx));
            }

            if (connection.TxPackets is { } tx)
            {
                now.Add((_txPackets, labels, tx));
            }
        }

        _series.Replace(now);
    }
}
