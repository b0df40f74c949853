using System.Globalization;
using System.Text.RegularExpressions;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// Issue 14's comparison for one backend: two copies of the agent lab with that backend, one where Raven's engines
/// configure everything, one where the same backend is configured by hand (<see cref="IHandTunnel"/>) between the
/// same two gateways, cloud-gw (exposed) and b-gw (NATed). Each round runs iperf3 gw pod → gw pod on both, in
/// alternating order (Raven first in even rounds, the hand path first in odd ones), then a ping RTT sample on both.
/// </summary>
internal static partial class BackendComparison
{
    /// <param name="mtu">Diagnostic: this MTU on both paths instead of Raven's (set on Raven's tunnel devices after it converged; its engines re-set it only on their next pass).</param>
    public static async Task<List<(string Metric, string Value, string Note)>> MeasureAsync(string backend, int seconds, int rounds, int? mtu = null)
    {
        await using var raven = await AgentLab.CreateAsync(area: BenchArea.Name, backend: backend);
        await using var byHand = await AgentLab.CreateAsync(area: BenchArea.Name, backend: backend);
        await using var hand = IHandTunnel.For(backend);
        await raven.StartAllAsync();
        var (client, server) = (raven["cloud-gw"], raven["b-gw"]);
        if (await AgentLab.WaitForPingAsync(client.Pod, server.PodIp, TimeSpan.FromSeconds(60)) is null)
        {
            throw new InvalidOperationException($"{backend}: cloud-gw pod never reached b-gw pod through Raven\n{raven.Describe()}");
        }

        var (device, ravenMtu) = TunnelDevice(client, server);
        string mtuNote = $"{device} MTU {ravenMtu}";
        if (mtu is { } forced)
        {
            foreach (var node in new[] { client, server })
            {
                node.Namespace.Ip("link", "set", TunnelDevice(node, node == client ? server : client).Device, "mtu", forced.ToString(CultureInfo.InvariantCulture));
            }

            mtuNote = $"{device} MTU forced to {forced} on both paths (Raven chose {ravenMtu})";
        }

        await hand.ConnectAsync(byHand["cloud-gw"], "203.0.113.10", byHand["b-gw"], "198.51.100.18", AgentLab.FirstCablePort, mtu ?? ravenMtu);
        if (await AgentLab.WaitForPingAsync(byHand["cloud-gw"].Pod, byHand["b-gw"].PodIp, TimeSpan.FromSeconds(30)) is null)
        {
            throw new InvalidOperationException($"{backend}: the hand-configured path never answered");
        }

        // Which packet sizes cross each path with DF set: a path that drops big packets silently shows up here.
        string ravenSizes = PassingSizes(client.Pod, server.PodIp);
        string handSizes = PassingSizes(byHand["cloud-gw"].Pod, byHand["b-gw"].PodIp);
        Console.Error.WriteLine($"{backend}: DF ping payloads that pass: Raven {ravenSizes}; by hand {handSizes}");
        var ravenRuns = new List<double>();
        var handRuns = new List<double>();
        var ravenRtt = new List<double>();
        var handRtt = new List<double>();
        var load = new List<double>();
        for (int i = 0; i < rounds; i++)
        {
            async Task RavenAsync() => ravenRuns.Add(await BoundedIperfAsync(client.Pod, server.Pod, server.PodIp, seconds));
            async Task HandAsync() => handRuns.Add(await BoundedIperfAsync(byHand["cloud-gw"].Pod, byHand["b-gw"].Pod, byHand["b-gw"].PodIp, seconds));
            load.Add(LoadAverage.OneMinute());
            if (i % 2 == 0)
            {
                await RavenAsync();
                await HandAsync();
            }
            else
            {
                await HandAsync();
                await RavenAsync();
            }

            ravenRtt.Add(RttMilliseconds(client.Pod, server.PodIp));
            handRtt.Add(RttMilliseconds(byHand["cloud-gw"].Pod, byHand["b-gw"].PodIp));
            load.Add(LoadAverage.OneMinute());
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{backend} round {i + 1}: Raven {ravenRuns[^1]:0.000} Gbit/s {ravenRtt[^1]:0.000} ms, by hand {handRuns[^1]:0.000} Gbit/s {handRtt[^1]:0.000} ms, load {load[^1]:0.0}"));
        }

        var conditions = $"load average {LoadAverage.Describe(load)}";
        return
        [
            ($"{backend}: iperf3 cloud-gw pod → b-gw pod, Raven", $"{Stats.Median(ravenRuns):0.000} Gbit/s", $"median of {rounds}: {Stats.Join(ravenRuns, "0.000")}; {seconds} s each; {mtuNote}"),
            ($"{backend}: same path, configured by hand", $"{Stats.Median(handRuns):0.000} Gbit/s", $"median of {rounds}: {Stats.Join(handRuns, "0.000")}; same MTU"),
            ($"{backend}: ratio Raven / by hand", $"{Stats.Median(ravenRuns) / Stats.Median(handRuns):0.00}", $"goal ≥ 0.95; order alternates per round; {conditions}"),
            ($"{backend}: ping RTT pod → pod, Raven", $"{Stats.Median(ravenRtt):0.000} ms", $"median of {rounds} averages of 40 pings every 20 ms: {Stats.Join(ravenRtt, "0.000")}"),
            ($"{backend}: ping RTT pod → pod, by hand", $"{Stats.Median(handRtt):0.000} ms", $"median of {rounds}: {Stats.Join(handRtt, "0.000")}"),
            ($"{backend}: ICMP payloads (DF) that cross, Raven / by hand", ravenSizes, handSizes),
        ];
    }

    /// <summary>One iperf3 run; a run that stalls (no result in time) or fails counts as 0 and is logged, so the other rounds still run.</summary>
    private static async Task<double> BoundedIperfAsync(TestNamespace client, TestNamespace server, string serverIp, int seconds)
    {
        try
        {
            return await Iperf.GbitPerSecondAsync(client, server, serverIp, seconds);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"iperf3 to {serverIp}: {ex.Message}");
            return 0;
        }
    }

    private static string PassingSizes(TestNamespace from, string target)
    {
        int[] sizes = [56, 1000, 1200, 1300, 1344, 1372, 1380, 1392, 1400, 1407, 1412, 1422, 1472];
        var passing = sizes.Where(size => from.TryExec("ping", "-n", "-q", "-M", "do", "-s", size.ToString(CultureInfo.InvariantCulture), "-c", "2", "-i", "0.2", "-W", "1", target).ExitCode == 0).ToList();
        return passing.Count == 0 ? "none" : $"{string.Join(" ", passing)} (of {string.Join(" ", sizes)})";
    }

    /// <summary>The device the client gateway forwards the server pod's traffic to (as the kernel resolves it for a packet from its pod) and its MTU.</summary>
    private static (string Device, int Mtu) TunnelDevice(LabNode client, LabNode server)
    {
        var route = client.Namespace.Ip("route", "get", server.PodIp, "from", client.PodIp, "iif", "pod0");
        var device = DevicePattern().Match(route).Groups[1].Value;
        var link = client.Namespace.Ip("link", "show", "dev", device);
        return (device, int.Parse(MtuPattern().Match(link).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private static double RttMilliseconds(TestNamespace from, string target)
    {
        var (exit, output, _) = from.TryExec("ping", "-n", "-q", "-c", "40", "-i", "0.02", "-W", "1", target);
        var match = RttPattern().Match(output);
        return exit == 0 && match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    [GeneratedRegex(@" dev (\S+)")]
    private static partial Regex DevicePattern();

    [GeneratedRegex(@"mtu (\d+)")]
    private static partial Regex MtuPattern();

    [GeneratedRegex(@"= [\d.]+/([\d.]+)/")]
    private static partial Regex RttPattern();
}
