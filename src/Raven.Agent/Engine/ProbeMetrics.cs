using Prometheus;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Probing;

namespace Raven.Agent.Engine;

/// <summary>
/// Every data-plane probe target as metrics (<c>raven_agent_probe_*</c>, labelled with the target's name, e.g.
/// <c>lan/hz-2</c> or <c>tunnel/gw-cloud/cloud-1</c>): whether the detector holds it Up, its smoothed RTT and loss.
/// Read on every scrape; a series goes with its target, so the label set is what the agent probes now.
/// </summary>
public sealed class ProbeMetrics
{
    private readonly Gauge _up;
    private readonly Gauge _rtt;
    private readonly Gauge _loss;
    private readonly GaugeSeriesSet _series = new();

    /// <param name="registry">The agent's registry (<see cref="AgentMetrics.Registry"/>).</param>
    /// <param name="source">The probes' current numbers (<c>HealthMonitor.Targets</c>); null: only <see cref="Record"/> sets them.</param>
    public ProbeMetrics(CollectorRegistry registry, Func<IReadOnlyList<ProbeTargetStatus>>? source = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        string[] labels = ["target"];
        _up = factory.CreateGauge("raven_agent_probe_up", "1 while the probe target is Up in this agent's failure detector, 0 while Down or not settled yet", labels);
        _rtt = factory.CreateGauge("raven_agent_probe_rtt_seconds", "Smoothed round-trip time of the probe target; absent before its first reply", labels);
        _loss = factory.CreateGauge("raven_agent_probe_loss_ratio", "Missed and late probes of the target over its recent window (0..1)", labels);
        if (source is not null)
        {
            registry.AddBeforeCollectCallback(() => Record(source()));
        }
    }

    /// <summary>Sets the series to <paramref name="targets"/>; callers may race (two scrapes).</summary>
    public void Record(IReadOnlyList<ProbeTargetStatus> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var now = new List<(Gauge, string[], double)>();
        foreach (var target in targets)
        {
            string[] labels = [target.Target.Name];
            now.Add((_up, labels, target.Statistics.State == HealthState.Up ? 1 : 0));
            now.Add((_loss, labels, target.Statistics.LossRatio));
            if (target.Statistics.SmoothedRtt is { } rtt)
            {
                now.Add((_rtt, labels, rtt.TotalSeconds));
            }
        }

        _series.Replace(now);
    }
}
