using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Api;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using k8s;
using k8s.Models;
using Raven.Kube.Observability;

namespace Raven.Bench;

/// <summary>Issue 4's benchmark: cold start over 10,000 nodes in 1,000 gateways, and failover latency.</summary>
internal static class ControllerBench
{
    public static async Task<string> RunAsync(double scale)
    {
        var nodes = (int)(10_000 * scale);
        var gateways = (int)(1_000 * scale);
        await using var fixture = await Fixture.StartAsync();
        var client = fixture.Client;
        await client.Api.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new() { Name = WellKnown.RavenGlobalConfig, NamespaceProperty = WellKnown.WorkingNamespace },
            Data = new Dictionary<string, string> { [WellKnown.EnableL3TunnelKey] = "true", [WellKnown.EnableL7ProxyKey] = "true" },
        }, WellKnown.WorkingNamespace);
        var nodeClient = client.Api.CoreV1;
        var gatewayClient = client.CustomObjects(KubeResources.Gateways);
        await Fixture.ParallelAsync(nodes, 16, i => nodeClient.CreateNodeAsync(Fixture.Node(i, gateways)));
        await Fixture.ParallelAsync(gateways, 16, g => gatewayClient.CreateAsync(Fixture.Gateway(g, nodes, gateways)));
        // gw-0000's first endpoint node gets a short agent lease; its second node a long one.
        var leases = client.Api.CoordinationV1;
        await leases.CreateNamespacedLeaseAsync(Lease("node-00000", 3600), WellKnown.WorkingNamespace);
        await leases.CreateNamespacedLeaseAsync(Lease($"node-{gateways:00000}", 3600), WellKnown.WorkingNamespace);

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var controller = new RavenController(client, new ControllerOptions { LeaderElection = false, ResyncPeriod = TimeSpan.FromMinutes(10) },
            new ControllerMetrics(), NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => controller.RunAsync(stop.Token));
        await WaitAsync(async () => (await gatewayClient.ListAsync()).All(g => g.Status.ActiveEndpoints is { Count: 2 }), TimeSpan.FromMinutes(10));
        var coldStart = watch.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        // Failover by agent lease: node-00000 stops renewing; its lease runs out at `expiry`.
        var leaseName = Lease("node-00000", 0).Metadata.Name;
        var lease = await leases.ReadNamespacedLeaseAsync(leaseName, WellKnown.WorkingNamespace);
        lease.Spec.LeaseDurationSeconds = 2;
        lease.Spec.RenewTime = DateTime.UtcNow;
        await leases.ReplaceNamespacedLeaseAsync(lease, leaseName, WellKnown.WorkingNamespace);
        var expiry = new DateTimeOffset(lease.Spec.RenewTime.Value.AddSeconds(2), TimeSpan.Zero);
        await WaitAsync(async () => (await gatewayClient.GetAsync("gw-0000")).Status.ActiveEndpoints!.All(e => e.NodeName != "node-00000"), TimeSpan.FromSeconds(60));
        var leaseFailover = DateTimeOffset.UtcNow - expiry;

        // Failover by NodeReady: node-00001 (gw-0001's first endpoint) turns NotReady.
        watch.Restart();
        await nodeClient.PatchNodeStatusAsync(new V1Patch("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}", V1Patch.PatchType.MergePatch), "node-00001");
        await WaitAsync(async () => (await gatewayClient.GetAsync("gw-0001")).Status.ActiveEndpoints!.All(e => e.NodeName != "node-00001"), TimeSpan.FromSeconds(60));
        var readyFailover = watch.Elapsed;
        GC.Collect();
        var memory = Process.GetCurrentProcess().WorkingSet64;
        await stop.CancelAsync();
        await run.ContinueWith(_ => { }, TaskScheduler.Default);

        var text = new StringBuilder();
        text.AppendLine($"### Controller: {nodes:N0} nodes in {gateways:N0} gateways (controller, API server and client in one process, 2 cores)");
        text.AppendLine();
        text.AppendLine("| measurement | result |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| cold start until every gateway's status is written | {coldStart.TotalSeconds:0.0} s |");
        text.AppendLine($"| CPU time during cold start (all three parts) | {cpu.TotalSeconds:0.0} s |");
        text.AppendLine($"| agent lease expiry → new active endpoint written | {leaseFailover.TotalMilliseconds:0} ms |");
        text.AppendLine($"| NodeReady=False written → new active endpoint written | {readyFailover.TotalMilliseconds:0} ms |");
        text.AppendLine($"| process working set after the run | {Fixture.Megabytes(memory)} |");
        return text.ToString();
    }

    private static V1Lease Lease(string node, int seconds) => new()
    {
        Metadata = new() { Name = NodeFactsReader.AgentLeasePrefix + node, NamespaceProperty = WellKnown.WorkingNamespace },
        Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = seconds, RenewTime = DateTime.UtcNow },
    };

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > deadline)
            {
                throw new TimeoutException($"benchmark condition not met within {deadline}");
            }

            await Task.Delay(20);
        }
    }
}
