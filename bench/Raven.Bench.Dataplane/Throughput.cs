using System.Globalization;
using System.Text.RegularExpressions;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// Two copies of the lab side by side: one where Raven's engines configure everything, one where wireguard-go is
/// configured by hand between the same two gateways. iperf3 runs alternate between them so that load from other
/// processes on the machine hits both alike. The failover measurement runs last, on the Raven lab.
/// </summary>
internal static partial class Throughput
{
    public sealed record Result(double Raven, string RavenRuns, double Hand, string HandRuns, double Members, int Mtu, double FailoverSeconds, int RepliesWhileDown, double WithoutClamp, double WithoutMangle);

    public static async Task<Result> MeasureAsync(int seconds, int rounds)
    {
        await using var raven = await AgentLab.CreateAsync(area: BenchArea.Name);
        await using var byHand = await AgentLab.CreateAsync(area: BenchArea.Name);
        using var wg = new HandWireGuard();
        await raven.StartAllAsync();
        foreach (var (from, to) in new[] { ("cloud-gw", "b-gw"), ("cloud-w", "a-w") })
        {
            if (await AgentLab.WaitForPingAsync(raven[from].Pod, raven[to].PodIp, TimeSpan.FromSeconds(60)) is null)
            {
                throw new InvalidOperationException($"{from} pod never reached {to} pod\n{raven.Describe()}");
            }
        }

        int mtu = int.Parse(MtuPattern().Match(raven["cloud-gw"].Namespace.Ip("link", "show", raven["cloud-gw"].WireGuardInterface)).Groups[1].Value, CultureInfo.InvariantCulture);
        await wg.ConnectAsync(byHand["cloud-gw"], "203.0.113.10", byHand["b-gw"], mtu);
        if (await AgentLab.WaitForPingAsync(byHand["cloud-gw"].Pod, byHand["b-gw"].PodIp, TimeSpan.FromSeconds(30)) is null)
        {
            throw new InvalidOperationException("hand-configured wireguard-go path never answered");
        }

        var ravenRuns = new List<double>();
        var handRuns = new List<double>();
        for (int i = 0; i < rounds; i++)
        {
            ravenRuns.Add(await Iperf.GbitPerSecondAsync(raven["cloud-gw"].Pod, raven["b-gw"].Pod, raven["b-gw"].PodIp, seconds));
            handRuns.Add(await Iperf.GbitPerSecondAsync(byHand["cloud-gw"].Pod, byHand["b-gw"].Pod, byHand["b-gw"].PodIp, seconds));
            Console.Error.WriteLine($"round {i + 1}: Raven {ravenRuns[^1]:0.000} Gbit/s, by hand {handRuns[^1]:0.000} Gbit/s");
        }

        double members = await Iperf.GbitPerSecondAsync(raven["cloud-w"].Pod, raven["a-w"].Pod, raven["a-w"].PodIp, seconds);
        var (failover, whileDown) = await Failover.MeasureAsync(raven);

        // Diagnostics: the same Raven path with Raven's mangle rules removed on both gateways, first only the MSS
        // clamp, then everything (the engines resync only hourly, so the removal lasts for these runs).
        foreach (var name in new[] { "cloud-gw", "b-gw" })
        {
            raven[name].Namespace.Exec("iptables", "-w", "-t", "mangle", "-F", "RAVEN-MSS-CHAIN");
        }

        double withoutClamp = await Iperf.GbitPerSecondAsync(raven["cloud-gw"].Pod, raven["b-gw"].Pod, raven["b-gw"].PodIp, seconds);
        foreach (var name in new[] { "cloud-gw", "b-gw" })
        {
            raven[name].Namespace.Exec("iptables", "-w", "-t", "mangle", "-F");
        }

        double withoutMangle = await Iperf.GbitPerSecondAsync(raven["cloud-gw"].Pod, raven["b-gw"].Pod, raven["b-gw"].PodIp, seconds);
        return new Result(Median(ravenRuns), Join(ravenRuns), Median(handRuns), Join(handRuns), members, mtu, failover, whileDown, withoutClamp, withoutMangle);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Join(List<double> values) => string.Join(", ", values.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"mtu (\d+)")]
    private static partial Regex MtuPattern();
}
