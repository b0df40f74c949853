using Raven.Agent.Tunnel;
using Raven.Kube.Observability;

namespace Raven.Agent.Engine;

/// <summary>The agent's Prometheus series.</summary>
public sealed class AgentMetrics
{
    private readonly HashSet<string> _peerLabels = new(StringComparer.Ordinal);

    public AgentMetrics(MetricsRegistry registry)
    {
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Peers = registry.Gauge("raven_agent_wireguard_peers", "WireGuard peers configured on this node");
        HandshakeAge = registry.Gauge("raven_agent_wireguard_last_handshake_age_seconds", "Seconds since the peer's last handshake (-1: never)", "peer");
        RxBytes = registry.Gauge("raven_agent_wireguard_rx_bytes", "Bytes received from the peer", "peer");
        TxBytes = registry.Gauge("raven_agent_wireguard_tx_bytes", "Bytes sent to the peer", "peer");
        Routes = registry.Gauge("raven_agent_routes_programmed", "Routes in raven tables 9027 and 9028");
        ApplyDuration = registry.Gauge("raven_agent_apply_duration_seconds", "Duration of the last plan-and-apply pass");
        ApplyErrors = registry.Counter("raven_agent_apply_errors_total", "Failed plan-and-apply passes");
        Applies = registry.Counter("raven_agent_applies_total", "Plan-and-apply passes");
        SkippedInputs = registry.Gauge("raven_agent_skipped_inputs",
            "Gateway inputs (fields, nodes, gateways) the last plan skipped as malformed or contradictory");
        ExcludedAddresses = registry.Gauge("raven_agent_excluded_addresses",
            "Remote announced prefixes the last plan kept out of the tunnel: local to this domain or claimed by another domain");
        InputsStale = registry.Gauge("raven_agent_inputs_stale", "1 while a watch of the API server fails and the agent keeps its last fresh snapshot, else 0");
    }

    public MetricsRegistry.Family InputsStale { get; }

    public MetricsRegistry Registry { get; }

    public MetricsRegistry.Family Peers { get; }

    public MetricsRegistry.Family HandshakeAge { get; }

    public MetricsRegistry.Family RxBytes { get; }

    public MetricsRegistry.Family TxBytes { get; }

    public MetricsRegistry.Family Routes { get; }

    public MetricsRegistry.Family ApplyDuration { get; }

    public MetricsRegistry.Family ApplyErrors { get; }

    public MetricsRegistry.Family Applies { get; }

    public MetricsRegistry.Family SkippedInputs { get; }

    public MetricsRegistry.Family ExcludedAddresses { get; }

    public void RecordApply(ApplyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Applies.Inc();
        if (!report.Succeeded)
        {
            ApplyErrors.Inc();
        }

        ApplyDuration.Set(report.Duration.TotalSeconds);
        Routes.Set(report.RoutesProgrammed);
        SkippedInputs.Set(report.Plan.SkippedInputs);
        ExcludedAddresses.Set(report.Plan.Exclusions.Count);
    }

    /// <param name="names">Public key → gateway name, for readable labels.</param>
    public void RecordPeers(IReadOnlyList<VpnPeerStatus> peers, IReadOnlyDictionary<string, string> names, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(names);
        Peers.Set(peers.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            var label = names.GetValueOrDefault(peer.PublicKey) ?? peer.PublicKey;
            seen.Add(label);
            HandshakeAge.Set(peer.LastHandshake is { } at ? Math.Max(0, (now - at).TotalSeconds) : -1, label);
            RxBytes.Set(peer.RxBytes, label);
            TxBytes.Set(peer.TxBytes, label);
        }

        foreach (var gone in _peerLabels.Where(l => !seen.Contains(l)).ToList())
        {
            HandshakeAge.Remove(gone);
            RxBytes.Remove(gone);
            TxBytes.Remove(gone);
            _peerLabels.Remove(gone);
        }

        _peerLabels.UnionWith(seen);
    }
}
