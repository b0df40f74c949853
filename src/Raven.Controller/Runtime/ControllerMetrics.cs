using Raven.Api.V1Beta1;
using k8s.Models;
using Raven.Kube.Models;
using Raven.Kube.Observability;

namespace Raven.Controller.Runtime;

/// <summary>The controller's Prometheus metrics.</summary>
public sealed class ControllerMetrics
{
    private readonly MetricsRegistry.Family _reconciles;
    private readonly MetricsRegistry.Family _errors;
    private readonly MetricsRegistry.Family _seconds;
    private readonly MetricsRegistry.Family _elected;
    private readonly MetricsRegistry.Family _failovers;
    private readonly MetricsRegistry.Family _outage;
    private readonly MetricsRegistry.Family _electionToStatus;

    public ControllerMetrics(MetricsRegistry registry)
    {
        Registry = registry;
        // Every series is documented in docs/controller.md (Metrics); keep the two in step.
        _reconciles = registry.Counter("raven_controller_reconciles_total", "Reconciles run, per controller.", "controller");
        _errors = registry.Counter("raven_controller_reconcile_errors_total", "Reconciles that failed (each logged once with its cause), per controller.", "controller");
        _seconds = registry.Counter("raven_controller_reconcile_seconds_total", "Time spent reconciling, per controller.", "controller");
        _elected = registry.Gauge("raven_gateway_active_endpoints", "Elected active endpoints per gateway and type.", "gateway", "type");
        _failovers = registry.Counter("raven_gateway_failovers_total", "Active endpoints replaced by another node.", "gateway", "type");
        _outage = registry.Gauge("raven_gateway_failover_outage_seconds",
            "Last failover: from the old active endpoint's last agent lease renewal (its last sign of life) to the election of the new one.", "gateway", "type");
        _electionToStatus = registry.Gauge("raven_gateway_election_to_status_seconds",
            "Last failover: from the election to the API server accepting the new status.activeEndpoints.", "gateway", "type");
    }

    public MetricsRegistry Registry { get; }

    public void ObserveReconcile(string controller, TimeSpan took, bool failed)
    {
        _reconciles.Inc(controller);
        _seconds.Add(took.TotalSeconds, controller);
        if (failed)
        {
            _errors.Inc(controller);
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
            _elected.Set(actives.Count(e => e.Type == type), gateway.Name, type);
            if (previous is null)
            {
                continue;
            }

            var lost = previous.Where(p => p.Type == type && actives.All(a => a.NodeName != p.NodeName || a.Type != type)).ToList();
            if (lost.Count > 0 && actives.Any(a => a.Type == type))
            {
                _failovers.Inc(gateway.Name, type);
                _electionToStatus.Set(Math.Max(0, (writtenAt - electedAt).TotalSeconds), gateway.Name, type);
                var lastSignOfLife = leaseList.Where(l => lost.Any(e => l.Metadata.Name == NodeFactsReader.AgentLeasePrefix + e.NodeName))
                    .Select(l => l.Spec?.RenewTime).OfType<DateTime>().Select(t => t.AsUtc()).Where(t => t <= electedAt).DefaultIfEmpty().Max();
                if (lastSignOfLife != default)
                {
                    _outage.Set((electedAt - lastSignOfLife).TotalSeconds, gateway.Name, type);
                }
            }
        }
    }

    public void ForgetGateway(string gateway)
    {
        foreach (var type in new[] { "tunnel", "proxy" })
        {
            _elected.Remove(gateway, type);
            _outage.Remove(gateway, type);
            _electionToStatus.Remove(gateway, type);
        }
    }
}
