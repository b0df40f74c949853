using System.Diagnostics;
using Raven.Agent.Health.Wiring;
using Raven.TestSupport;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// The split-brain rule (docs/health-probes.md §5.4) in the data plane: a node that loses its own link sees every
/// gateway Down, and that view must move nothing it does not own. The link flaps at the NAT router's bridge port, so
/// the node loses carrier while its addresses and routes stay, as with a flapping cable or switch port.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed class SplitBrainTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FlapDown = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan FlapUp = TimeSpan.FromSeconds(1);

    /// <summary>
    /// a-m, a plain member of edge-a, flaps three times. The cloud keeps edge-a on the primary's peer throughout,
    /// neither gateway's claim changes, the traffic between the cloud and the standby's pod is untouched, and a-m's
    /// own routes are the ones it had once its link is back.
    /// </summary>
    [Fact]
    public async Task A_member_whose_own_link_flaps_moves_nothing_else()
    {
        await using var lab = await FailoverLab.StartAsync(withMember: true);
        try
        {
            var routesBefore = RavenRoutes(lab, "a-m");
            routesBefore.Should().Contain("10.244.", "a-m routes the cloud's pods through raven0");
            var claimsBefore = (lab["a-gw"].Health!.Claim, lab["a-w"].Health!.Claim);
            var (toEdge, toCloud) = FailoverLab.Pings(lab, seconds: 9);
            using (toEdge)
            using (toCloud)
            {
                var samples = await FlapSamplingAsync(lab, "pm");
                Report(samples);
                samples.Should().OnlyContain(s => s.Carrier == "a-gw", "the cloud keeps edge-a on the primary's peer while a member flaps");
                samples.Should().OnlyContain(s => s.PrimaryServes && !s.StandbyServes, "neither gateway claims or yields because of a member's link");
                var (lostToEdge, lostToCloud) = await FailoverLab.ReportAsync(output, "a member's link flapping", toEdge, toCloud);
                (lostToEdge + lostToCloud).Should().BeLessThan(10, "the standby's pod is not on the flapping link; a domain move would cost tens of pings");
            }

            (lab["a-gw"].Health!.Claim.Epoch, lab["a-w"].Health!.Claim.Epoch).Should().Be((claimsBefore.Item1.Epoch, claimsBefore.Item2.Epoch), "no take-over happened");
            (await AgentLab.WaitForPingAsync(lab["a-m"].Pod, lab["cloud-w"].PodIp, FailoverLab.Converge)).Should().NotBeNull($"a-m's pod reaches the cloud again\n{lab.Describe()}");
            (await AgentLab.WaitUntilAsync(() => RavenRoutes(lab, "a-m") == routesBefore, FailoverLab.Converge)).Should().BeTrue(
                $"a-m routes through the gateway it had before the flaps\nbefore:\n{routesBefore}\nafter:\n{RavenRoutes(lab, "a-m")}");
        }
        finally
        {
            FailoverLab.WriteLogs(lab, output);
        }
    }

    /// <summary>
    /// The standby a-w flaps: over its LAN it sees the primary Down, but no witness vouches for its own LAN, so it
    /// never takes over; the primary keeps serving and the cloud's traffic to the primary's pod goes on.
    /// </summary>
    [Fact]
    public async Task A_standby_whose_own_link_flaps_never_takes_over()
    {
        await using var lab = await FailoverLab.StartAsync();
        try
        {
            var epochBefore = lab["a-gw"].Health!.Claim.Epoch;
            using var toEdge = BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-gw"].PodIp, count: 900, interval: "0.01");
            using var toCloud = BackgroundPing.Start(lab["a-gw"].Pod.Name, lab["cloud-w"].PodIp, count: 900, interval: "0.01");
            var samples = await FlapSamplingAsync(lab, "pw");
            Report(samples);
            samples.Should().OnlyContain(s => s.Carrier == "a-gw", "the cloud keeps edge-a on the primary's peer");
            samples.Should().OnlyContain(s => s.PrimaryServes && !s.StandbyServes, "the cut-off standby never claims the domain");
            var (lostToEdge, lostToCloud) = await FailoverLab.ReportAsync(output, "the standby's link flapping", toEdge, toCloud);
            (lostToEdge + lostToCloud).Should().BeLessThan(10, "the primary's pod is not on the flapping link");

            lab["a-gw"].Health!.Claim.Epoch.Should().Be(epochBefore, "the primary never lost its claim");
            (await AgentLab.WaitUntilAsync(() => FailoverLab.Up(lab["cloud-gw"], HealthTargets.Tunnel("edge-a", "a-w")), FailoverLab.Converge))
                .Should().BeTrue($"the standby is back as a standby, probed Up through its own tunnel\n{FailoverLab.Probes(lab)}");
        }
        finally
        {
            FailoverLab.WriteLogs(lab, output);
        }
    }

    private sealed record Sample(TimeSpan At, string? Carrier, bool PrimaryServes, bool StandbyServes);

    /// <summary>Flaps the router's bridge port <paramref name="port"/> three times, sampling every 100 ms until 2 s after the last flap.</summary>
    private static async Task<List<Sample>> FlapSamplingAsync(AgentLab lab, string port)
    {
        var router = lab.RouterOf("edge-a");
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampler = Poll.TryUntilAsync(() =>
        {
            samples.Add(new Sample(clock.Elapsed, FailoverLab.CarrierOnCloud(lab, FailoverLab.EdgeAPods),
                lab["a-gw"].Health!.Claim.Serving, lab["a-w"].Health!.Claim.Serving));
            return stop.IsCancellationRequested;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        try
        {
            for (var flap = 0; flap < 3; flap++)
            {
                router.Ip("link", "set", port, "down");
                await Task.Delay(FlapDown);
                router.Ip("link", "set", port, "up");
                await Task.Delay(FlapUp);
            }

            await Task.Delay(TimeSpan.FromSeconds(2)); // what the probes decide after the last flap counts too
        }
        finally
        {
            router.Ip("link", "set", port, "up");
            stop.Cancel();
            await sampler;
        }

        return samples;
    }

    private void Report(List<Sample> samples) => output.WriteLine(
        $"{samples.Count} samples; carriers {string.Join(", ", samples.Select(s => s.Carrier ?? "none").Distinct())}; " +
        $"primary serving in {samples.Count(s => s.PrimaryServes)}, standby serving in {samples.Count(s => s.StandbyServes)}");

    /// <summary>The node's routes through raven0, in every table: a member's choice of gateway is their next hop.</summary>
    private static string RavenRoutes(AgentLab lab, string node) => string.Join("\n",
        lab[node].Namespace.Ip("route", "show", "table", "all").Split('\n').Where(l => l.Contains("dev raven0", StringComparison.Ordinal) && !l.StartsWith("local ", StringComparison.Ordinal)));
}
