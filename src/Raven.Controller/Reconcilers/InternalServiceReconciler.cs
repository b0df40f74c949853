using Raven.Api;
using Raven.Controller.Election;
using Raven.Controller.Runtime;
using Raven.Controller.Services;

namespace Raven.Controller.Reconcilers;

/// <summary>kube-system/x-raven-proxy-internal-svc and its Endpoints, from every exposed gateway.</summary>
public sealed class InternalServiceReconciler(ClusterCache cache, ServiceWriter writer, Action<string> report) : IReconciler
{
    public const string Key = "internal";

    public string Name => "gateway-internal-service";

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var switches = FeatureSwitches.FromConfigMap(cache.ConfigMap(WellKnown.RavenGlobalConfig)?.Data);
        var problems = new List<string>();
        var ports = AgentPorts.FromConfigMap(cache.ConfigMap(WellKnown.RavenAgentConfig)?.Data, problems);
        var nodeIps = cache.Nodes.Store.List().ToDictionary(n => n.Metadata.Name ?? "", n => NodeFactsReader.InternalIp(n) ?? "", StringComparer.Ordinal);
        var result = InternalServicePlanner.Plan(cache.Gateways.Store.List(), switches.Proxy, nodeIps, ports);
        problems.Concat(result.Conflicts).ToList().ForEach(report);

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
        return null;
    }
}
