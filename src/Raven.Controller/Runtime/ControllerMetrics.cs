using Raven.Api.V1Beta1;
using k8s.Models;
using Raven.Kube.Models;
using Prometheus;
using Raven.Kube.Observability;

namespace Raven.Controller.Runtime;

/// <summary>The controller's Prometheus metrics, in a registry of this controller's own (see <see cref="ComponentMetrics"/>).</summary>
public sealed class ControllerMetrics
{
    private readonly Counter _reconciles;
    private readonly Counter _errors;
    private readonly Counter _seconds;
    private readonly Histogram _reconcileDuration;
    private readonly Gauge _elected;
    private readonly Counter _failovers;
    private readonly Histogram _outage;
    private readonly Histogram _electionToStatus;

    public ControllerMetrics()
    {
        Registry = ComponentMetrics.NewRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // Every series is documented in docs/controller.md (Metrics); keep the two in step.
        _reconciles = factory.CreateCounter("raven_controller_reconciles_total", "Reconciles run, per controller.", "controller");
        _errors = factory.CreateCounter("raven_controller_reconcile_errors_total", "Reconciles that failed (each logged once with its cause), per controller.", "controller");
        _seconds = factory.CreateCounter("raven_controller_reconcile_seconds_total", "Time spent reconciling, per controller.", "controller");
        _reconcileDuration = factory.CreateHistogram("raven_controller_reconcile_duration_seconds", "Duration of reconcile passes, per controller.",
            new HistogramConfiguration { LabelNames = ["controller"], Buckets = ComponentMetrics.PassDurationBuckets });
        _elected = factory.CreateGauge("raven_gateway_active_endpoints", "Elected active endpoints per gateway and type.", "gateway", "type");
        _failovers = factory.CreateCounter("raven_gateway_failovers_total", "Active endpoints replaced by another node.", "gateway", "type");
        _outage = factory.CreateHistogram("raven_gateway_failover_outage_seconds",
            "Failovers: from the old active endpoint's last agent lease renewal (its last sign of life) to the election of the new one.",
            new HistogramConfiguration { LabelNames = ["gateway", "type"], Buckets = ComponentMetrics.OutageBuckets });
        _electionToStatus = factory.CreateHistogram("raven_gateway_election_to_status_seconds",
            "Failovers: from the election to the API server accepting the new status.activeEndpoints.",
            new HistogramConfiguration { LabelNames = ["gateway", "type"], Buckets = ComponentMetrics.PassDurationBuckets });
    }

    /// <summary>This controller's registry: what its /metrics serves.</summary>
    public CollectorRegistry Registry { get; }

    public void ObserveReconcile(string controller, TimeSpan took, bool failed)
    {
        _reconciles.WithLabels(controller).Inc();
        _seconds.WithLabels(controller).Inc(took.TotalSeconds);
        _reconcileDuration.WithLabels(controller).Observe(took.TotalSeconds);
        if (failed)
        {
            _errors.WithLabels(controller).Inc();
        }
    }

    /// <param name="previous">The active endpoints before this write, or null when nothing was written.</param>
    /// <param name="leases">Agent leases of the gateway's member nodes.</param>
    /// <param name="electedAt">When the election that led to this write was decided.</param>
    /// <param name="writtenAt">When the API server accepted the status.</param>
    public void ObserveElection(Gateway gateway, IReadOnlyList<Endpoint>? previous, IEnumerable<V1Lease> leases, DateTimeOffset electedAt, DateTimeOffset writtenAt)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var leaseList = leases.ToList();
        var actives = gateway.Status.ActiveEndpoints ?? [];
        foreach (var type in new[] { "tunnel", "proxy" })
        {
            _elected.WithLabels(gateway.Name, type).Set(actives.Count(e => e.Type == type));
            if (previous is null)
            {
                continue;
            }

            var lost = previous.Where(p => p.Type == type && actives.All(a => a.NodeName != p.NodeName || a.Type != type)).ToList();
            if (lost.Count > 0 && actives.Any(a => a.Type == type))
            {
                _failovers.WithLabels(gateway.Name, type).Inc();
                _electionToStatus.WithLabels(gateway.Name, type).Observe(Math.Max(0, (writtenAt - electedAt).TotalSeconds));
                var lastSignOfLife = leaseList.Where(l => lost.Any(e => l.Metadata.Name == NodeFactsReader.AgentLeasePrefix + e.NodeName))
                    .Select(l => l.Spec?.RenewTime).OfType<DateTime>().Select(t => t.AsUtc()).Where(t => t <= electedAt).DefaultIfEmpty().Max();
                if (lastSignOfLife != default)
                {
                    _outage.WithLabels(gateway.Name, type).Observe((electedAt - lastSignOfLife).TotalSeconds);
                }
            }
        }
    }

    public void ForgetGateway(string gateway)
    {
        foreach (var type in new[] { "tunnel", "proxy" })
        {
            _elected.RemoveLabelled(gateway, type);
            _outage.RemoveLabelled(gateway, type);
            _electionToStatus.RemoveLabelled(gateway, type);
        }
    }
}
