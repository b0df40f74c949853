using Raven.Api;
using Raven.Controller.Dns;
using Raven.Controller.Election;
using Raven.Controller.Runtime;
using Raven.Controller.Services;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Controller.Reconcilers;

/// <summary>kube-system/edge-tunnel-nodes: node-name records for raven-proxy-dns.</summary>
public sealed class DnsReconciler(ClusterCache cache, KubeClient client) : IReconciler
{
    public const string Key = "dns";
    private readonly ResourceClient<ConfigMap> _configMaps = client.Resource(KubeResources.ConfigMap);

    public string Name => "gateway-dns";

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var switches = FeatureSwitches.FromConfigMap(cache.ConfigMap(WellKnown.RavenGlobalConfig)?.Data);
        var exposed = cache.Gateways.Store.List()
            .Where(g => g.Spec.ExposeType is WellKnown.ExposeTypePublicIP or WellKnown.ExposeTypeLoadBalancer)
            .Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var clusterIp = cache.Services.Store.Get(WellKnown.WorkingNamespace, InternalServicePlanner.Name)?.Spec.ClusterIP;
        var nodes = cache.Nodes.Store.List().Select(n => new TunnelNodeRecords.NodeAddress(
            n.Metadata.Name ?? "", NodeFactsReader.GatewayOf(n), NodeFactsReader.InternalIp(n), n.Address(Node.AddressExternalIP)));
        var records = TunnelNodeRecords.Build(nodes, exposed, switches.Proxy, clusterIp is "None" ? null : clusterIp);

        var live = cache.ConfigMap(TunnelNodeRecords.ConfigMapName);
        if (live is null)
        {
            await _configMaps.CreateAsync(new ConfigMap
            {
                Metadata = new() { Name = TunnelNodeRecords.ConfigMapName, Namespace = WellKnown.WorkingNamespace },
                Data = new() { [TunnelNodeRecords.Key] = records },
            }, cancellationToken).ConfigureAwait(false);
        }
        else if (live.Value(TunnelNodeRecords.Key) != records)
        {
            await _configMaps.UpdateWithRetryAsync(TunnelNodeRecords.ConfigMapName, WellKnown.WorkingNamespace, cm =>
            {
                cm.Data ??= [];
                if (cm.Data.TryGetValue(TunnelNodeRecords.Key, out var current) && current == records)
                {
                    return false;
                }

                cm.Data[TunnelNodeRecords.Key] = records;
                return true;
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}
