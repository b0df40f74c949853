using System.Diagnostics;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Kube.Client;
using Raven.TestSupport;
using k8s.Models;

namespace Raven.Bench;

/// <summary>An embedded API server with the Gateway CRD and a client that is not rate limited.</summary>
internal sealed class Fixture : IAsyncDisposable
{
    private readonly EmbeddedCluster _cluster;

    private Fixture(EmbeddedCluster cluster)
    {
        _cluster = cluster;
        Server = cluster.Server;
        Client = cluster.Client;
    }

    public EmbeddedApiServer Server { get; }
    public KubeClient Client { get; }

    public static async Task<Fixture> StartAsync()
    {
        return new Fixture(await EmbeddedCluster.StartAsync(new EmbeddedApiServerOptions { WatchHistorySize = 100_000 }, raven: true, qps: 1_000_000));
    }

    public static V1Node Node(int i, int gateways) => new()
    {
        Metadata = new() { Name = $"node-{i:00000}", Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = $"gw-{i % gateways:0000}" } },
        Spec = new V1NodeSpec { PodCIDR = $"10.{(i >> 8) & 255}.{i & 255}.0/24" },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = $"172.{16 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}" }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    };

    public static Gateway Gateway(int g, int nodes, int gateways) => new()
    {
        Metadata = new() { Name = $"gw-{g:0000}" },
        Spec = new GatewaySpec
        {
            ProxyConfig = new() { Replicas = 1 },
            TunnelConfig = new() { Replicas = 1 },
            Endpoints = Enumerable.Range(0, Math.Min(2, nodes / gateways)).SelectMany(k => new[]
            {
                new Endpoint { NodeName = $"node-{g + (k * gateways):00000}", Type = "tunnel", UnderNAT = true },
                new Endpoint { NodeName = $"node-{g + (k * gateways):00000}", Type = "proxy", UnderNAT = true },
            }).ToList(),
        },
    };

    /// <summary>Runs <paramref name="work"/> over <paramref name="count"/> items with bounded concurrency.</summary>
    public static async Task<TimeSpan> ParallelAsync(int count, int concurrency, Func<int, Task> work)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) => await work(i));
        return watch.Elapsed;
    }

    public static string Megabytes(long bytes) => $"{bytes / 1024.0 / 1024.0:0} MiB";

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
    }
}
