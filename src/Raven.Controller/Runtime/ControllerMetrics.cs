using Raven.Api.V1Beta1;
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
    private readonly MetricsRegistry.Family _lastFailover;

    public ControllerMetrics(MetricsRegistry registry)
    {
        Registry = registry;
        _reconciles = registry.Counter("raven_controller_reconciles_total", "Reconciles run, per controller.", "controller");
        _errors = registry.Counter("raven_controller_reconcile_errors_total", "Reconciles that failed, per controller.", "controller");
        _seconds = registry.Counter("raven_controller_reconcile_seconds_total", "Time spent reconciling, per controller.", "controller");
        _elected = registry.Gauge("raven_gateway_active_endpoints", "Elected active endpoints per gateway and type.", "gateway", "type");
        _failovers = registry.Counter("raven_gateway_failovers_total", "Active endpoints replaced by another node.", "gateway", "type");
        _lastFailover = registry.Gauge("raven_gateway_last_failover_seconds",
            "From the old active endpoint's agent lease expiring to the new endpoint being written.", "gateway", "type");
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
    public void ObserveElection(Gateway gateway, IReadOnlyList<Endpoint>? previous, IEnumerable<Lease> leases, DateTimeOffset now)
    {
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
                var expired = leases.Where(l => lost.Any(e => l.Metadata.Name == NodeFactsReader.AgentLeasePrefix + e.NodeName))
                    .Select(NodeFactsReader.LeaseExpiry).Where(t => t != DateTimeOffset.MinValue && t <= now).DefaultIfEmpty().Max();
                if (expired != default)
                {
                    _lastFailover.Set((now - expired).TotalSeconds, gateway.Name, type);
                }
            }
        }
    }

    public void ForgetGateway(string gateway)
    {
        foreach (var type in new[] { "tunnel", "proxy" })
        {
            _elected.Remove(gateway, type);
        }
    }
}
