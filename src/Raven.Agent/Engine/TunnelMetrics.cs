using Raven.Agent.Tunnel;
using Prometheus;

namespace Raven.Agent.Engine;

/// <summary>
/// Backend-neutral tunnel series (<c>raven_agent_tunnel_*</c>, labelled with the backend). The WireGuard-specific
/// series of <see cref="AgentMetrics"/> are kept beside them as extras.
/// </summary>
public sealed class TunnelMetrics
{
    private readonly HashSet<string> _gatewayLabels = new(StringComparer.Ordinal);

    public TunnelMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        Connections = factory.CreateGauge("raven_agent_tunnel_connections", "Tunnel connections configured on this node", "backend");
        ConnectionsUp = factory.CreateGauge("raven_agent_tunnel_connections_up", "Tunnel connections established and alive", "backend");
        ConnectionUp = factory.CreateGauge("raven_agent_tunnel_connection_up", "1 while the connection to the gateway is up, else 0", "backend", "gateway");
        RxBytes = factory.CreateGauge("raven_agent_tunnel_rx_bytes", "Bytes received from the gateway over the tunnel", "backend", "gateway");
        TxBytes = factory.CreateGauge("raven_agent_tunnel_tx_bytes", "Bytes sent to the gateway over the tunnel", "backend", "gateway");
        Encrypted = factory.CreateGauge("raven_agent_tunnel_encrypted",
            "1 when the selected backend encrypts traffic between gateways, 0 when it does not (the VXLAN cable)", "backend");
        SkippedPeers = factory.CreateGauge("raven_agent_tunnel_skipped_peers",
            "Remote gateways left out of the tunnel because their published config is unusable or conflicts with another's", "backend");
    }

    public Gauge Connections { get; }

    public Gauge ConnectionsUp { get; }

    public Gauge ConnectionUp { get; }

    public Gauge RxBytes { get; }

    public Gauge TxBytes { get; }

    public Gauge SkippedPeers { get; }

    public Gauge Encrypted { get; }

    public void RecordConnections(string backend, IReadOnlyList<TunnelConnection> connections)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(connections);
        Connections.WithLabels(backend).Set(connections.Count);
        ConnectionsUp.WithLabels(backend).Set(connections.Count(c => c.State == TunnelConnectionState.Up));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            seen.Add(connection.Gateway);
            ConnectionUp.WithLabels(backend, connection.Gateway).Set(connection.State == TunnelConnectionState.Up ? 1 : 0);
            RxBytes.WithLabels(backend, connection.Gateway).Set(connection.RxBytes);
            TxBytes.WithLabels(backend, connection.Gateway).Set(connection.TxBytes);
        }

        foreach (var gone in _gatewayLabels.Where(g => !seen.Contains(g)).ToList())
        {
            ConnectionUp.RemoveLabelled(backend, gone);
            RxBytes.RemoveLabelled(backend, gone);
            TxBytes.RemoveLabelled(backend, gone);
            _gatewayLabels.Remove(gone);
        }

        _gatewayLabels.UnionWith(seen);
    }
}
