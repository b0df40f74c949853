using Raven.Agent.Tunnel;
using Raven.Kube.Observability;

namespace Raven.Agent.Engine;

/// <summary>
/// Backend-neutral tunnel series (<c>raven_agent_tunnel_*</c>, labelled with the backend). The WireGuard-specific
/// series of <see cref="AgentMetrics"/> are kept beside them as extras.
/// </summary>
public sealed class TunnelMetrics
{
    private readonly HashSet<string> _gatewayLabels = new(StringComparer.Ordinal);

    public TunnelMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Connections = registry.Gauge("raven_agent_tunnel_connections", "Tunnel connections configured on this node", "backend");
        ConnectionsUp = registry.Gauge("raven_agent_tunnel_connections_up", "Tunnel connections established and alive", "backend");
        ConnectionUp = registry.Gauge("raven_agent_tunnel_connection_up", "1 while the connection to the gateway is up, else 0", "backend", "gateway");
        RxBytes = registry.Gauge("raven_agent_tunnel_rx_bytes", "Bytes received from the gateway over the tunnel", "backend", "gateway");
        TxBytes = registry.Gauge("raven_agent_tunnel_tx_bytes", "Bytes sent to the gateway over the tunnel", "backend", "gateway");
        SkippedPeers = registry.Gauge("raven_agent_tunnel_skipped_peers",
            "Remote gateways left out of the tunnel because their published config is unusable or conflicts with another's", "backend");
    }

    public MetricsRegistry.Family Connections { get; }

    public MetricsRegistry.Family ConnectionsUp { get; }

    public MetricsRegistry.Family ConnectionUp { get; }

    public MetricsRegistry.Family RxBytes { get; }

    public MetricsRegistry.Family TxBytes { get; }

    public MetricsRegistry.Family SkippedPeers { get; }

    public void RecordConnections(string backend, IReadOnlyList<TunnelConnection> connections)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(connections);
        Connections.Set(connections.Count, backend);
        ConnectionsUp.Set(connections.Count(c => c.State == TunnelConnectionState.Up), backend);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            seen.Add(connection.Gateway);
            ConnectionUp.Set(connection.State == TunnelConnectionState.Up ? 1 : 0, backend, connection.Gateway);
            RxBytes.Set(connection.RxBytes, backend, connection.Gateway);
            TxBytes.Set(connection.TxBytes, backend, connection.Gateway);
        }

        foreach (var gone in _gatewayLabels.Where(g => !seen.Contains(g)).ToList())
        {
            ConnectionUp.Remove(backend, gone);
            RxBytes.Remove(backend, gone);
            TxBytes.Remove(backend, gone);
            _gatewayLabels.Remove(gone);
        }

        _gatewayLabels.UnionWith(seen);
    }
}
