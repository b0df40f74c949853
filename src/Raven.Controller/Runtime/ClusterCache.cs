using Microsoft.Extensions.Logging;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using k8s.Models;
using Raven.Kube.Models;

namespace Raven.Controller.Runtime;

/// <summary>Informers for everything the raven controllers read; any change calls <see cref="Changed"/>.</summary>
public sealed class ClusterCache
{
    private readonly List<Func<CancellationToken, Task>> _runners = [];
    private readonly List<Func<CancellationToken, Task>> _syncs = [];
    private readonly KubeClient _client;

    public ClusterCache(KubeClient client, ILoggerFactory logs)
    {
        _client = client;
        Gateways = Watch(KubeResources.Gateways, null, "gateway", logs);
        Nodes = Watch(KubeResources.Nodes, null, "node", logs);
        ConfigMaps = Watch(KubeResources.ConfigMaps, WellKnown.WorkingNamespace, "configmap", logs);
        Leases = Watch(KubeResources.Leases, WellKnown.WorkingNamespace, "lease", logs);
        Services = Watch(KubeResources.Services, WellKnown.WorkingNamespace, "service", logs);
        Endpoints = Watch(KubeResources.Endpoints, WellKnown.WorkingNamespace, "endpoints", logs);
        Csrs = Watch(KubeResources.CertificateSigningRequests, null, "csr", logs);
    }

    /// <summary>Kind ("gateway", "node", ...) and the old/new object of every change.</summary>
    public event Action<string, object?, object?>? Changed;

    public Informer<Gateway> Gateways { get; }
    public Informer<V1Node> Nodes { get; }
    public Informer<V1ConfigMap> ConfigMaps { get; }
    public Informer<V1Lease> Leases { get; }
    public Informer<V1Service> Services { get; }
    public Informer<V1Endpoints> Endpoints { get; }
    public Informer<V1CertificateSigningRequest> Csrs { get; }

    /// <summary>Calico block affinities; empty unless Calico's CRD is installed.</summary>
    public IReadOnlyList<BlockAffinity> CalicoBlocks => _blocks?.Store.List() ?? [];

    private Informer<BlockAffinity>? _blocks;

    /// <summary>Watches Calico block affinities when the cluster serves them; call before <see cref="RunAsync"/>.</summary>
    public async Task DetectCalicoAsync(KubeClient client, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var resource = KubeResources.BlockAffinities;
        try
        {
            await resource.ListAsync(client.Api, null, new ListQuery { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e.IsNotFound())
        {
            return; // no Calico here: pod CIDRs come from the Node objects
        }

        _blocks = Watch(resource, null, "blockaffinity", logs);
    }

    public V1ConfigMap? ConfigMap(string name) => ConfigMaps.Store.Get(WellKnown.WorkingNamespace, name);

    /// <summary>The data of a kube-system ConfigMap, null when it does not exist.</summary>
    public IReadOnlyDictionary<string, string>? ConfigData(string name) => ConfigMap(name).ReadOnlyData();

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(_runners.Select(run => run(cancellationToken)));

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.WhenAll(_syncs.Select(sync => sync(cancellationToken)));

    private Informer<T> Watch<T>(KubeResource<T> resource, string? ns, string kind, ILoggerFactory logs)
        where T : class
    {
        var informer = new Informer<T>(_client, resource, new InformerOptions { Namespace = ns }, logs.CreateLogger($"informer.{kind}"));
        informer.AddHandler(new InformerHandler<T>(
            added => Changed?.Invoke(kind, null, added),
            (old, updated) => Changed?.Invoke(kind, old, updated),
            deleted => Changed?.Invoke(kind, deleted, null)));
        _runners.Add(informer.RunAsync);
        _syncs.Add(informer.WaitForSyncAsync);
        return informer;
    }
}
