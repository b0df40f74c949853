using Raven.Api;
using Raven.Controller.Election;
using Raven.Controller.Runtime;
using Raven.Controller.Services;
using Raven.Kube.Models;

namespace Raven.Controller.Reconcilers;

/// <summary>LoadBalancer Services and Endpoints for one gateway exposed by LoadBalancer; everything else is removed.</summary>
public sealed class PublicServiceReconciler(ClusterCache cache, ServiceWriter writer, Action<string> report) : IReconciler
{
    public string Name => "gateway-public-service";

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var gateway = cache.Gateways.Store.Get(null, key);
        var existing = cache.Services.Store.List()
            .Where(s => s.Metadata.Label(WellKnown.GatewayLabel) == key && s.Metadata.Label(WellKnown.GatewayTypeLabel) is not null && s.Spec?.Type == KubeModelExtensions.ServiceTypeLoadBalancer)
            .ToList();
        var desired = new List<DesiredService>();
        if (gateway is not null)
        {
            var switches = FeatureSwitches.FromConfigMap(cache.ConfigData(WellKnown.RavenGlobalConfig));
            var problems = new List<string>();
            var ports = AgentPorts.FromConfigMap(cache.ConfigData(WellKnown.RavenAgentConfig), problems);
            problems.ForEach(report);
            var byNode = existing.ToDictionary(
                s => (s.Metadata.Label(WellKnown.GatewayTypeLabel)!, s.Metadata.Label(WellKnown.EndpointsNameLabel) ?? ""),
                s => s.Metadata.Name ?? "");
            desired = PublicServicePlanner.Plan(gateway, NodeIps(), ports, byNode)
                .Where(d => switches.Enabled(d.Labels[WellKnown.GatewayTypeLabel])).ToList();
        }

        foreach (var service in desired)
        {
            await writer.EnsureAsync(service, cache.Services.Store.Get(WellKnown.WorkingNamespace, service.Name),
                cache.Endpoints.Store.Get(WellKnown.WorkingNamespace, service.Name), cancellationToken).ConfigureAwait(false);
        }

        foreach (var stale in existing.Where(s => desired.All(d => d.Name != s.Metadata.Name)))
        {
            await writer.DeleteAsync(stale.Metadata.Name ?? "", cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private Dictionary<string, string> NodeIps() => cache.Nodes.Store.List()
        .ToDictionary(n => n.Metadata.Name ?? "", n => NodeFactsReader.InternalIp(n) ?? "", StringComparer.Ordinal);
}
