using Prometheus;
using Raven.Agent.Health.Paths;

namespace Raven.Agent.Engine;

/// <summary>
/// Candidate paths to each remote domain as metrics (<c>raven_agent_path_*</c>, labelled with the domain and the path
/// id): RTT, loss and cost where measured, and which path traffic takes. A series goes as soon as its path, its domain
/// or its number does, so the label set stays what the plan has now.
/// </summary>
public sealed class PathMetrics
{
    private readonly Gauge _rtt;
    private readonly Gauge _loss;
    private readonly Gauge _cost;
    private readonly Gauge _chosen;
    private readonly GaugeSeriesSet _series = new();

    /// <param name="registry">The agent's registry (<see cref="AgentMetrics.Registry"/>).</param>
    /// <param name="source">
    /// Read on every scrape (<c>HealthMonitor.CandidatePaths</c>): the numbers change with every probe, so they are
    /// taken when asked for rather than pushed every decision round. Null: only <see cref="Record"/> sets them.
    /// </param>
    public PathMetrics(CollectorRegistry registry, Func<IReadOnlyList<DomainPaths>>? source = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        string[] labels = ["domain", "path"];
        _rtt = factory.CreateGauge("raven_agent_path_rtt_seconds", "Smoothed probe RTT of the candidate path to the remote domain", labels);
        _loss = factory.CreateGauge("raven_agent_path_loss_ratio", "Probe loss ratio (0..1) of the candidate path to the remote domain", labels);
        _cost = factory.CreateGauge("raven_agent_path_cost_seconds",
            "Cost of the candidate path to the remote domain (RTT plus the loss penalty); absent while the path is not usable", labels);
        _chosen = factory.CreateGauge("raven_agent_path_chosen", "1 for the path traffic to the remote domain takes, 0 for the other candidates", labels);
        if (source is not null)
        {
            registry.AddBeforeCollectCallback(() => Record(source()));
        }
    }

    /// <summary>Sets the series to <paramref name="domains"/> (<c>HealthMonitor.CandidatePaths</c>); callers may race (two scrapes).</summary>
    public void Record(IReadOnlyList<DomainPaths> domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var now = new List<(Gauge, string[], double)>();
        foreach (var domain in domains)
        {
            foreach (var path in domain.Paths)
            {
                string[] labels = [domain.Domain, path.PathId];
                now.Add((_chosen, labels, path.PathId == domain.Chosen ? 1 : 0));
                Add(now, _rtt, labels, path.RttMilliseconds / 1000);
                Add(now, _loss, labels, path.LossRatio);
                Add(now, _cost, labels, path.CostMilliseconds / 1000);
            }
        }

        _series.Replace(now);
    }

    private static void Add(List<(Gauge, string[], double)> now, Gauge gauge, string[] labels, double? value)
    {
        if (value is { } v)
        {
            now.Add((gauge, labels, v));
        }
    }
}
