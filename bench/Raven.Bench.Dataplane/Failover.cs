using System.Globalization;
using Raven.Agent.Planning;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// Status change → first packet through the new gateway. The old gateway's LAN goes down first, so no reply can come
/// through it; then the active endpoint of edge-a moves to a-w while a ping every 50 ms runs from the cloud member's pod
/// to a-w's pod. The first timestamped reply after the change is the answer.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class Failover
{
    public static async Task<(double Seconds, int RepliesWhileDown)> MeasureAsync(AgentLab lab)
    {
        var keysPublished = await AgentLab.WaitUntilAsync(
            () => lab.Inputs.Get("edge-a")!.Spec.Endpoints!.All(e => e.Config?.ContainsKey("publicKey") == true), TimeSpan.FromSeconds(60));
        if (!keysPublished)
        {
            throw new InvalidOperationException("edge-a endpoints never published their keys");
        }

        var source = lab["cloud-w"].Pod;
        var target = lab["a-w"].PodIp;
        lab["a-gw"].Namespace.Ip("link", "set", "lan0", "down");
        await Task.Delay(TimeSpan.FromSeconds(1));

        // 600 × 50 ms bounds the ping to 30 s; -w is a hard deadline on top.
        using var ping = BackgroundProcess.StartIn(source, "ping", "-n", "-D", "-i", "0.05", "-W", "1", "-c", "600", "-w", "35", target);
        await Task.Delay(TimeSpan.FromSeconds(1));
        int repliesWhileDown = Replies(ping.StandardOutput).Count;
        double changedAt = UnixNow();
        lab.Activate("edge-a", "a-w");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var first = Replies(ping.StandardOutput).Where(t => t >= changedAt).Cast<double?>().FirstOrDefault();
            if (first is { } at)
            {
                // The reply can overtake the end of a-w's apply pass (routes and peers first, bookkeeping after).
                if (!await AgentLab.WaitUntilAsync(() => lab["a-w"].Engine!.LastReport?.Plan.Role == PlanRole.TunnelGateway, TimeSpan.FromSeconds(30)))
                {
                    throw new InvalidOperationException($"a-w never became the gateway\n{lab.Describe()}");
                }

                return (at - changedAt, repliesWhileDown);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no reply through the new gateway within 30 s\n{lab.Describe()}");
    }

    private static double UnixNow() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    private static List<double> Replies(string output) => output.Split('\n')
        .Where(l => l.StartsWith('[') && l.Contains("bytes from", StringComparison.Ordinal))
        .Select(l => double.Parse(l[1..l.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture))
        .ToList();
}
