using Prometheus;
using Raven.Agent.Tunnel;
using Raven.Kube.Observability;

namespace Raven.Agent.Engine;

/// <summary>The agent's Prometheus series, in a registry of this agent's own (see <see cref="ComponentMetrics"/>).</summary>
public sealed class AgentMetrics
{
    private readonly HashSet<string> _peerLabels = new(StringComparer.Ordinal);

    public AgentMetrics()
    {
        Registry = ComponentMetrics.NewRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Peers = factory.CreateGauge("raven_agent_wireguard_peers", "WireGuard peers configured on this node");
        HandshakeAge = factory.CreateGauge("raven_agent_wireguard_last_handshake_age_seconds", "Seconds since the peer's last handshake (-1: never)", "peer");
        RxBytes = factory.CreateGauge("raven_agent_wireguard_rx_bytes", "Bytes received from the peer", "peer");
        TxBytes = factory.CreateGauge("raven_agent_wireguard_tx_bytes", "Bytes sent to the peer", "peer");
        Routes = factory.CreateGauge("raven_agent_routes_programmed", "Routes in raven tables 9027 and 9028");
        ApplyDuration = factory.CreateHistogram("raven_agent_apply_duration_seconds", "Duration of plan-and-apply passes",
            new HistogramConfiguration { Buckets = ComponentMetrics.PassDurationBuckets });
        ApplyErrors = factory.CreateCounter("raven_agent_apply_errors_total", "Failed plan-and-apply passes");
        Applies = factory.CreateCounter("raven_agent_applies_total", "Plan-and-apply passes");
        SkippedInputs = factory.CreateGauge("raven_agent_skipped_inputs",
            "Gateway inputs (fields, nodes, gateways) the last plan skipped as malformed or contradictory");
        ExcludedAddresses = factory.CreateGauge("raven_agent_excluded_addresses",
            "Remote announced prefixes the last plan kept out of the tunnel: local to this domain or claimed by another domain");
        InputsStale = factory.CreateGauge("raven_agent_inputs_stale", "1 while a watch of the API server fails and the agent keeps its last fresh snapshot, else 0");
    }

    /// <summary>This agent's registry: what its /metrics serves, and where its L7 proxy series go too.</summary>
    public CollectorRegistry Registry { get; }

    public Gauge InputsStale { get; }

    public Gauge Peers { get; }

    public Gauge HandshakeAge { get; }

    public Gauge RxBytes { get; }

    public Gauge TxBytes { get; }

    public Gauge Routes { get; }

    public Histogram ApplyDuration { get; }

    public Counter ApplyErrors { get; }

    public Counter Applies { get; }

    public Gauge SkippedInputs { get; }

    public Gauge ExcludedAddresses { get; }

    public void RecordApply(ApplyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Applies.Inc();
        if (!report.Succeeded)
        {
            ApplyErrors.Inc();
        }

        ApplyDuration.Observe(report.Duration.TotalSeconds);
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
            HandshakeAge.WithLabels(label).Set(peer.LastHandshake is { } at ? Math.Max(0, (now - at).TotalSeconds) : -1);
            RxBytes.WithLabels(label).Set(peer.RxBytes);
            TxBytes.WithLabels(label).Set(peer.TxBytes);
        }

        foreach (var gone in _peerLabels.Where(l => !seen.Contains(l)).ToList())
        {
            HandshakeAge.RemoveLabelled(gone);
            RxBytes.RemoveLabelled(gone);
            TxBytes.RemoveLabelled(gone);
            _peerLabels.Remove(gone);
        }

        _peerLabels.UnionWith(seen);
    }
}
