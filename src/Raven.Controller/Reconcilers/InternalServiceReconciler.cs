using Raven.Api;
using Raven.Controller.Election;
using Raven.Controller.Runtime;
using Raven.Controller.Services;
using Raven.Kube.Client;
using k8s.Models;

namespace Raven.Controller.Reconcilers;

/// <summary>kube-system/x-raven-proxy-internal-svc and its Endpoints, from every exposed gateway.</summary>
public sealed class InternalServiceReconciler(ClusterCache cache, ServiceWriter writer, EventQueue events, Action<string> report) : IReconciler
{
    private IReadOnlyList<string> _reportedConflicts = [];

    public const string Key = "internal";

    public string Name => "gateway-internal-service";

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var switches = FeatureSwitches.FromConfigMap(cache.ConfigData(WellKnown.RavenGlobalConfig));
        var problems = new List<string>();
        var ports = AgentPorts.FromConfigMap(cache.ConfigData(WellKnown.RavenAgentConfig), problems);
        var nodeIps = cache.Nodes.Store.List().ToDictionary(n => n.Metadata.Name ?? "", n => NodeFactsReader.InternalIp(n) ?? "", StringComparer.Ordinal);
        var result = InternalServicePlanner.Plan(cache.Gateways.Store.List(), switches.Proxy, nodeIps, ports);
        problems.ForEach(report);

        var live = cache.Services.Store.Get(WellKnown.WorkingNamespace, InternalServicePlanner.Name);
        if (result.Service is null)
        {
            if (live is not null || cache.Endpoints.Store.Get(WellKnown.WorkingNamespace, InternalServicePlanner.Name) is not null)
            {
                await writer.DeleteAsync(InternalServicePlanner.Name, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        await writer.EnsureAsync(result.Service, live, cache.Endpoints.Store.Get(WellKnown.WorkingNamespace, InternalServicePlanner.Name), cancellationToken)
            .ConfigureAwait(false);
        ReportConflicts(result.Conflicts);
        return null;
    }

    /// <summary>Port conflicts become Warning events on the Service, once per change of the conflict set.</summary>
    private void ReportConflicts(IReadOnlyList<string> conflicts)
    {
        if (conflicts.SequenceEqual(_reportedConflicts))
        {
            return;
        }

        _reportedConflicts = conflicts;
        var reference = new V1ObjectReference { ApiVersion = "v1", Kind = "Service", Name = InternalServicePlanner.Name, NamespaceProperty = WellKnown.WorkingNamespace };
        foreach (var conflict in conflicts)
        {
            report(conflict);
            events.Post(reference, EventRecorder.TypeWarning, "ProxyPortConflict", conflict);
        }
    }
}
