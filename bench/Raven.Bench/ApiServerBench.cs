using System.Diagnostics;
using System.Text;
using k8s;
using k8s.Models;
using Raven.Kube.Client;

namespace Raven.Bench;

/// <summary>Issue 3's benchmark: 10,000 Nodes and 1,000 Gateways against the embedded API server.</summary>
internal static class ApiServerBench
{
    public static async Task<string> RunAsync(double scale)
    {
        var nodes = (int)(10_000 * scale);
        var gateways = (int)(1_000 * scale);
        const int watchers = 100;
        await using var fixture = await Fixture.StartAsync();
        var before = Process.GetCurrentProcess().WorkingSet64;
        var api = fixture.Client.Api;
        var nodeClient = api.CoreV1;
        var gatewayClient = fixture.Client.CustomObjects(KubeResources.Gateways);

        var createNodes = await Fixture.ParallelAsync(nodes, 16, i => nodeClient.CreateNodeAsync(Fixture.Node(i, gateways)));
        var createGateways = await Fixture.ParallelAsync(gateways, 16, g => gatewayClient.CreateAsync(Fixture.Gateway(g, nodes, gateways)));

        var watch = Stopwatch.StartNew();
        var firstPage = await KubeResources.Nodes.ListAsync(api, null, new ListQuery { Limit = 500 }, CancellationToken.None);
        var listed = new List<V1Node>(firstPage.Items);
        for (var next = firstPage.Continue; !string.IsNullOrEmpty(next);)
        {
            var page = await KubeResources.Nodes.ListAsync(api, null, new ListQuery { Limit = 500, Continue = next }, CancellationToken.None);
            listed.AddRange(page.Items);
            next = page.Continue;
        }

        var listNodes = watch.Elapsed;
        watch.Restart();
        var listedGateways = await gatewayClient.ListAsync();
        var listGateways = watch.Elapsed;

        // Event delivery: 100 watchers each see every one of 1,000 updates.
        const int updates = 1_000;
        using var stop = new CancellationTokenSource();
        var version = firstPage.ResourceVersion;
        var counts = new int[watchers];
        var allSeen = new TaskCompletionSource();
        var remaining = watchers;
        var tasks = Enumerable.Range(0, watchers).Select(w => Task.Run(async () =>
        {
            try
            {
                await foreach (var (type, _) in KubeResources.Nodes.WatchAsync(api, null, new ListQuery { ResourceVersion = version }, stop.Token))
                {
                    if (type == WatchEventType.Modified && ++counts[w] == updates && Interlocked.Decrement(ref remaining) == 0)
                    {
                        allSeen.TrySetResult();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // finished
            }
        })).ToList();
        await Task.Delay(500); // watchers connect; not part of the measurement
        watch.Restart();
        await Fixture.ParallelAsync(updates, 8, i => nodeClient.PatchNodeAsync(new V1Patch("{\"metadata\":{\"labels\":{\"bench\":\"1\"}}}", V1Patch.PatchType.MergePatch), $"node-{i:00000}"));
        var patched = watch.Elapsed;
        await allSeen.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var delivered = watch.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        GC.Collect();
        var after = Process.GetCurrentProcess().WorkingSet64;

        var text = new StringBuilder();
        text.AppendLine($"### Embedded API server: {nodes:N0} Nodes, {gateways:N0} Gateways (client and server in one process, 2 cores)");
        text.AppendLine();
        text.AppendLine("| measurement | result |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| create {nodes:N0} Nodes (16 concurrent clients) | {createNodes.TotalSeconds:0.0} s ({nodes / createNodes.TotalSeconds:0} /s) |");
        text.AppendLine($"| create {gateways:N0} Gateways (defaulting + validation) | {createGateways.TotalSeconds:0.0} s ({gateways / createGateways.TotalSeconds:0} /s) |");
        text.AppendLine($"| list all Nodes, pages of 500 | {listNodes.TotalMilliseconds:0} ms ({listed.Count:N0} items) |");
        text.AppendLine($"| list all Gateways, pages of 500 | {listGateways.TotalMilliseconds:0} ms ({listedGateways.Count:N0} items) |");
        text.AppendLine($"| {updates:N0} Node patches seen by each of {watchers} watchers | writes done in {patched.TotalSeconds:0.0} s, all {updates * watchers:N0} events delivered in {delivered.TotalSeconds:0.0} s |");
        text.AppendLine($"| process working set, before → after | {Fixture.Megabytes(before)} → {Fixture.Megabytes(after)} |");
        return text.ToString();
    }
}
