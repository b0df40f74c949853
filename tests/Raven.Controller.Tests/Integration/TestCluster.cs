using Microsoft.Extensions.Logging.Abstractions;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.Kube.Models;
using Raven.Kube.Observability;
using Raven.TestSupport;
using k8s;
using k8s.Models;

namespace Raven.Controller.Tests.Integration;

/// <summary>An embedded API server with the Gateway CRD, a client, and helpers to play kubelet and agents.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Stop, Task Run)> _controllers = [];

    private readonly EmbeddedCluster _cluster;

    private TestCluster(EmbeddedCluster cluster)
    {
        _cluster = cluster;
        Server = cluster.Server;
        Client = cluster.Client;
    }

    public EmbeddedApiServer Server { get; }
    public KubeClient Client { get; }
    public CustomObjectClient<Gateway> Gateways => Client.CustomObjects(KubeResources.Gateways);

    /// <summary>The official client's core/v1 operations (nodes, config maps, services, endpoints, events).</summary>
    public ICoreV1Operations Core => Client.Api.CoreV1;

    public ICoordinationV1Operations Leases => Client.Api.CoordinationV1;

    public static async Task<TestCluster> StartAsync(bool ravenCfg = true)
    {
        var cluster = new TestCluster(await EmbeddedCluster.StartAsync(new EmbeddedApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) }, raven: true));
        if (ravenCfg)
        {
            await cluster.SetRavenCfgAsync(tunnel: true, proxy: true);
        }

        return cluster;
    }

    /// <summary>An API server outage: stops serving (objects stay in memory) until <see cref="StartServerAgainAsync"/>.</summary>
    public Task StopServerAsync() => _cluster.StopServerAsync();

    /// <summary>Serves again on the same port, as a restarted API server behind the same address would.</summary>
    public Task StartServerAgainAsync() => _cluster.StartServerAgainAsync();

    public RavenController StartController(bool leaderElection = false, string identity = "test", TimeSpan? resync = null, Microsoft.Extensions.Logging.ILoggerFactory? logs = null)
    {
        var controller = new RavenController(Client, new ControllerOptions
        {
            LeaderElection = leaderElection,
            Identity = identity,
            ResyncPeriod = resync ?? TimeSpan.FromSeconds(30),
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        }, new ControllerMetrics(), logs ?? NullLoggerFactory.Instance);
        var stop = new CancellationTokenSource();
        _controllers.Add((stop, Task.Run(() => controller.RunAsync(stop.Token))));
        return controller;
    }

    public async Task StopControllerAsync(int index)
    {
        var (stop, run) = _controllers[index];
        await stop.CancelAsync();
        await run.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async Task SetRavenCfgAsync(bool tunnel, bool proxy)
    {
        var data = new Dictionary<string, string> { [WellKnown.EnableL3TunnelKey] = tunnel ? "true" : "false", [WellKnown.EnableL7ProxyKey] = proxy ? "true" : "false" };
        var existing = await Core.ReadNamespacedConfigMapAsync(WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace).NullIfNotFound();
        if (existing is null)
        {
            await Core.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = WellKnown.RavenGlobalConfig, NamespaceProperty = WellKnown.WorkingNamespace }, Data = data }, WellKnown.WorkingNamespace);
        }
        else
        {
            existing.Data = data;
            await Core.ReplaceNamespacedConfigMapAsync(existing, WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace);
        }
    }

    public Task AddNodeAsync(string name, string gateway, string ip, string podCidr, bool ready = true) => Core.CreateNodeAsync(new V1Node
    {
        Metadata = new() { Name = name, Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = gateway } },
        Spec = new V1NodeSpec { PodCIDR = podCidr },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = ip }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    });

    public Task SetReadyAsync(string name, bool ready) =>
        Core.PatchNodeStatusAsync(new V1Patch("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + (ready ? "True" : "False") + "\"}]}}",
            V1Patch.PatchType.MergePatch), name);

    /// <summary>What an agent does: hold its lease for <paramref name="seconds"/> from now, carrying its data-plane report (none: null).</summary>
    public async Task RenewAgentLeaseAsync(string node, int seconds, Raven.Api.DataPlane.DataPlaneReport? report = null)
    {
        var annotations = report is null ? null : new Dictionary<string, string> { [Raven.Api.DataPlane.DataPlaneReport.Annotation] = report.Serialize() };
        var name = NodeFactsReader.AgentLeasePrefix + node;
        var lease = await Leases.ReadNamespacedLeaseAsync(name, WellKnown.WorkingNamespace).NullIfNotFound();
        var spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = seconds, RenewTime = DateTime.UtcNow };
        if (lease is null)
        {
            await Leases.CreateNamespacedLeaseAsync(new V1Lease { Metadata = new() { Name = name, NamespaceProperty = WellKnown.WorkingNamespace, Annotations = annotations }, Spec = spec }, WellKnown.WorkingNamespace);
        }
        else
        {
            lease.Spec = spec;
            lease.Metadata.Annotations = annotations;
            await Leases.ReplaceNamespacedLeaseAsync(lease, name, WellKnown.WorkingNamespace);
        }
    }

    public static Gateway Gateway(string name, string? expose, int proxy, int tunnel, params Endpoint[] endpoints) => new()
    {
        Metadata = new() { Name = name },
        Spec = new GatewaySpec
        {
            ExposeType = expose,
            ProxyConfig = new ProxyConfiguration { Replicas = proxy, ProxyHTTPPort = expose is null ? null : "10255", ProxyHTTPSPort = expose is null ? null : "10250" },
            TunnelConfig = new TunnelConfiguration { Replicas = tunnel },
            Endpoints = [.. endpoints],
        },
    };

    public static Endpoint Ep(string node, string type, bool underNat = false) => new() { NodeName = node, Type = type, UnderNAT = underNat };

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the deadline.</summary>
    public static Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, int seconds = 15) =>
        Poll.ForAsync(read, condition, what, TimeSpan.FromSeconds(seconds), v => Api.Json.RavenJson.Serialize(v), TimeSpan.FromMilliseconds(50));

    public Task<Gateway> GatewayWhenAsync(string name, Func<Gateway, bool> condition, string what, int seconds = 15) =>
        EventuallyAsync(() => Gateways.GetAsync(name), condition, what, seconds);

    public static string Actives(Gateway g) => string.Join(",", (g.Status.ActiveEndpoints ?? []).Select(e => $"{e.NodeName}/{e.Type}"));

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _controllers.Count; i++)
        {
            await StopControllerAsync(i);
        }

        await _cluster.DisposeAsync();
    }
}
