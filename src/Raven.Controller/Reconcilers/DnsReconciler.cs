using Raven.Api;
using Raven.Controller.Dns;
using Raven.Controller.Election;
using Raven.Controller.Runtime;
using Raven.Controller.Services;
using k8s;
using k8s.Models;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Controller.Reconcilers;

/// <summary>kube-system/edge-tunnel-nodes: node-name records for raven-proxy-dns.</summary>
public sealed class DnsReconciler(ClusterCache cache, KubeClient client) : IReconciler
{
    public const string Key = "dns";

    public string Name => "gateway-dns";

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var switches = FeatureSwitches.FromConfigMap(cache.ConfigData(WellKnown.RavenGlobalConfig));
        var exposed = cache.Gateways.Store.List()
            .Where(g => g.Spec.ExposeType is WellKnown.ExposeTypePublicIP or WellKnown.ExposeTypeLoadBalancer)
            .Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var clusterIp = cache.Services.Store.Get(WellKnown.WorkingNamespace, InternalServicePlanner.Name)?.Spec?.ClusterIP;
        var nodes = cache.Nodes.Store.List().Select(n => new TunnelNodeRecords.NodeAddress(
            n.Metadata.Name ?? "", NodeFactsReader.GatewayOf(n), NodeFactsReader.InternalIp(n), n.Address(KubeModelExtensions.AddressExternalIP)));
        var records = TunnelNodeRecords.Build(nodes, exposed, switches.Proxy, clusterIp is "None" ? null : clusterIp);

        var live = cache.ConfigMap(TunnelNodeRecords.ConfigMapName);
        var configMaps = client.Api.CoreV1;
        if (live is null)
        {
            await configMaps.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new() { Name = TunnelNodeRecords.ConfigMapName, NamespaceProperty = WellKnown.WorkingNamespace },
                Data = new Dictionary<string, string> { [TunnelNodeRecords.Key] = records },
            }, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (live.ReadOnlyData()?.GetValueOrDefault(TunnelNodeRecords.Key) != records)
        {
            await ConflictRetry.UpdateAsync(
                ct => configMaps.ReadNamespacedConfigMapAsync(TunnelNodeRecords.ConfigMapName, WellKnown.WorkingNamespace, cancellationToken: ct),
                cm =>
                {
                    cm.Data ??= new Dictionary<string, string>();
                    if (cm.Data.TryGetValue(TunnelNodeRecords.Key, out var current) && current == records)
                    {
                        return false;
                    }

                    cm.Data[TunnelNodeRecords.Key] = records;
                    return true;
                },
                (cm, ct) => configMaps.ReplaceNamespacedConfigMapAsync(cm, TunnelNodeRecords.ConfigMapName, WellKnown.WorkingNamespace, cancellationToken: ct),
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}
