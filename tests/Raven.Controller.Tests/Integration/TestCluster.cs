using Microsoft.Extensions.Logging.Abstractions;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.Kube.Client.Config;
using Raven.ApiServer.Gateways;
using Raven.Kube.Models;
using Raven.Kube.Observability;
using Raven.ApiServer;

namespace Raven.Controller.Tests.Integration;

/// <summary>An embedded API server with the Gateway CRD, a client, and helpers to play kubelet and agents.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Stop, Task Run)> _controllers = [];

    private readonly EmbeddedApiServerOptions _options;

    private TestCluster(EmbeddedApiServer server, EmbeddedApiServerOptions options, KubeClient client)
    {
        Server = server;
        _options = options;
        Client = client;
    }

    public EmbeddedApiServer Server { get; }
    public KubeClient Client { get; }
    public ResourceClient<Gateway> Gateways => Client.Resource(KubeResources.GatewayV1Beta1);
    public ResourceClient<Node> Nodes => Client.Resource(KubeResources.Node);
    public ResourceClient<ConfigMap> ConfigMaps => Client.Resource(KubeResources.ConfigMap);
    public ResourceClient<Lease> Leases => Client.Resource(KubeResources.Lease);
    public ResourceClient<Service> Services => Client.Resource(KubeResources.Service);
    public ResourceClient<Endpoints> Endpoints => Client.Resource(KubeResources.Endpoints);

    public static async Task<TestCluster> StartAsync(bool ravenCfg = true)
    {
        var options = new EmbeddedApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) };
        var server = RavenApiServer.Create(options);
        await server.StartAsync();
        await RavenApiServer.InstallGatewayCrdAsync(server, CancellationToken.None);
        var cluster = new TestCluster(server, options, new KubeClient(new KubeClientConfig { Server = server.Url, Qps = 1000, Burst = 1000 }));
        if (ravenCfg)
        {
            await cluster.SetRavenCfgAsync(tunnel: true, proxy: true);
        }

        return cluster;
    }

    /// <summary>An API server outage: stops serving (objects stay in memory) until <see cref="StartServerAgainAsync"/>.</summary>
    public Task StopServerAsync() => Server.StopAsync();

    /// <summary>Serves again on the same port, as a restarted API server behind the same address would.</summary>
    public Task StartServerAgainAsync()
    {
        _options.Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Server.Url.Port);
        return Server.StartAsync();
    }

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
        }, new ControllerMetrics(new MetricsRegistry()), logs ?? NullLoggerFactory.Instance);
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
        var existing = await ConfigMaps.TryGetAsync(WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace);
        if (existing is null)
        {
            await ConfigMaps.CreateAsync(new ConfigMap { Metadata = new() { Name = WellKnown.RavenGlobalConfig, Namespace = WellKnown.WorkingNamespace }, Data = data });
        }
        else
        {
            existing.Data = data;
            await ConfigMaps.UpdateAsync(existing);
        }
    }

    public Task AddNodeAsync(string name, string gateway, string ip, string podCidr, bool ready = true) => Nodes.CreateAsync(new Node
    {
        Metadata = new() { Name = name, Labels = new() { [WellKnown.GatewayLabel] = gateway } },
        Spec = new NodeSpec { PodCIDR = podCidr },
        Status = new NodeStatus
        {
            Addresses = [new NodeAddress { Type = "InternalIP", Address = ip }],
            Conditions = [new NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    });

    public Task SetReadyAsync(string name, bool ready) =>
        Nodes.PatchStatusAsync(name, null, Kube.Client.PatchType.Merge,
            "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + (ready ? "True" : "False") + "\"}]}}");

    /// <summary>What an agent does: hold its lease for <paramref name="seconds"/> from now.</summary>
    public async Task RenewAgentLeaseAsync(string node, int seconds)
    {
        var name = NodeFactsReader.AgentLeasePrefix + node;
        var lease = await Leases.TryGetAsync(name, WellKnown.WorkingNamespace);
        var spec = new LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = seconds, RenewTime = DateTimeOffset.UtcNow };
        if (lease is null)
        {
            await Leases.CreateAsync(new Lease { Metadata = new() { Name = name, Namespace = WellKnown.WorkingNamespace }, Spec = spec });
        }
        else
        {
            lease.Spec = spec;
            await Leases.UpdateAsync(lease);
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
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T value;
        do
        {
            value = await read();
            if (condition(value))
            {
                return value;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        throw new Xunit.Sdk.XunitException($"timed out waiting for {what}; last value: {Api.Json.RavenJson.Serialize(value)}");
    }

    public Task<Gateway> GatewayWhenAsync(string name, Func<Gateway, bool> condition, string what, int seconds = 15) =>
        EventuallyAsync(() => Gateways.GetAsync(name), condition, what, seconds);

    public static string Actives(Gateway g) => string.Join(",", (g.Status.ActiveEndpoints ?? []).Select(e => $"{e.NodeName}/{e.Type}"));

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _controllers.Count; i++)
        {
            await StopControllerAsync(i);
        }

        Client.Dispose();
        await Server.DisposeAsync();
    }
}
