using Microsoft.Extensions.Logging;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using Raven.Kube.Models;

namespace Raven.Controller.Runtime;

/// <summary>Informers for everything the raven controllers read; any change calls <see cref="Changed"/>.</summary>
public sealed class ClusterCache
{
    private readonly List<Func<CancellationToken, Task>> _runners = [];
    private readonly List<Func<CancellationToken, Task>> _syncs = [];

    public ClusterCache(KubeClient client, ILoggerFactory logs)
    {
        Gateways = Watch(client.Resource(KubeResources.GatewayV1Beta1), null, "gateway", logs);
        Nodes = Watch(client.Resource(KubeResources.Node), null, "node", logs);
        ConfigMaps = Watch(client.Resource(KubeResources.ConfigMap), WellKnown.WorkingNamespace, "configmap", logs);
        Leases = Watch(client.Resource(KubeResources.Lease), WellKnown.WorkingNamespace, "lease", logs);
        Services = Watch(client.Resource(KubeResources.Service), WellKnown.WorkingNamespace, "service", logs);
        Endpoints = Watch(client.Resource(KubeResources.Endpoints), WellKnown.WorkingNamespace, "endpoints", logs);
        Csrs = Watch(client.Resource(KubeResources.CertificateSigningRequest), null, "csr", logs);
    }

    /// <summary>Kind ("gateway", "node", ...) and the old/new object of every change.</summary>
    public event Action<string, object?, object?>? Changed;

    public Informer<Gateway> Gateways { get; }
    public Informer<Node> Nodes { get; }
    public Informer<ConfigMap> ConfigMaps { get; }
    public Informer<Lease> Leases { get; }
    public Informer<Service> Services { get; }
    public Informer<Endpoints> Endpoints { get; }
    public Informer<CertificateSigningRequest> Csrs { get; }

    /// <summary>Calico block affinities; empty unless Calico's CRD is installed.</summary>
    public IReadOnlyList<BlockAffinity> CalicoBlocks => _blocks?.Store.List() ?? [];

    private Informer<BlockAffinity>? _blocks;

    /// <summary>Watches Calico block affinities when the cluster serves them; call before <see cref="RunAsync"/>.</summary>
    public async Task DetectCalicoAsync(KubeClient client, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var resource = client.Resource(KubeResources.BlockAffinity);
        try
        {
            await resource.ListAsync(null, new ListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return; // no Calico here: pod CIDRs come from the Node objects
        }

        _blocks = Watch(resource, null, "blockaffinity", logs);
    }

    public ConfigMap? ConfigMap(string name) => ConfigMaps.Store.Get(WellKnown.WorkingNamespace, name);

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(_runners.Select(run => run(cancellationToken)));

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.WhenAll(_syncs.Select(sync => sync(cancellationToken)));

    private Informer<T> Watch<T>(ResourceClient<T> resource, string? ns, string kind, ILoggerFactory logs)
        where T : class
    {
        var informer = new Informer<T>(resource, new InformerOptions { Namespace = ns }, logs.CreateLogger($"informer.{kind}"));
        informer.AddHandler(new InformerHandler<T>(
            added => Changed?.Invoke(kind, null, added),
            (old, updated) => Changed?.Invoke(kind, old, updated),
            deleted => Changed?.Invoke(kind, deleted, null)));
        _runners.Add(informer.RunAsync);
        _syncs.Add(informer.WaitForSyncAsync);
        return informer;
    }
}
