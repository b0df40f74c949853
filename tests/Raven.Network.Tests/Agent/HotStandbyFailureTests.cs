using System.Diagnostics;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Wiring;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.TestSupport;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// Failure cases of the hot standby (issue 15 items 3 and 4), each observed in the data plane: pings and a TCP
/// stream between pods, which WireGuard peer carries edge-a on the cloud gateway (UAPI), and the probes' claims.
/// edge-a runs a-gw (primary) and a-w (hot standby); see <see cref="FailoverLab"/>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed class HotStandbyFailureTests(ITestOutputHelper output)
{
    /// <summary>
    /// wireguard-go of the primary is SIGKILLed: its device and routes vanish while its agent and LAN stay up. The
    /// standby's probes still reach the cloud through its own tunnel, so it takes over (the engine would restore the
    /// daemon only on its next pass, much later); traffic resumes through whichever path is back first. WireGuard
    /// only: the VXLAN cable is a kernel device with no daemon to die.
    /// </summary>
    [Fact]
    public async Task When_the_primarys_tunnel_daemon_dies_traffic_resumes()
    {
        await using var lab = await FailoverLab.StartAsync();
        try
        {
            var (toEdge, toCloud) = FailoverLab.Pings(lab);
            using (toEdge)
            using (toCloud)
            {
                await Task.Delay(TimeSpan.FromSeconds(1)); // traffic before the failure
                var pid = DaemonIdentity.FindRunningPid(new WireGuardGoOptions { InterfaceName = lab["a-gw"].WireGuardInterface });
                pid.Should().NotBeNull("a-gw's wireguard-go runs");
                ProcessSignals.Send(pid!.Value, ProcessSignals.SigKill).Should().BeTrue();
                await FailoverLab.ReportAsync(output, "primary's wireguard-go killed", toEdge, toCloud);
            }

            var carrier = FailoverLab.CarrierOnCloud(lab, FailoverLab.EdgeAPods);
            output.WriteLine($"edge-a carried by {carrier}; a-gw daemon {(DaemonIdentity.FindRunningPid(new WireGuardGoOptions { InterfaceName = lab["a-gw"].WireGuardInterface }) is null ? "not restored" : "restored")}; {FailoverLab.Probes(lab)}");
            carrier.Should().NotBeNull("some peer carries edge-a again");
            (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, TimeSpan.FromSeconds(5))).Should().NotBeNull(lab.Describe());
        }
        finally
        {
            FailoverLab.WriteLogs(lab, output);
        }
    }

    /// <summary>
    /// The primary dies (agent gone, LAN down) and comes back. The standby keeps the domain through the hold-down;
    /// then the primary gets it back once, without a flap. Sampled on the cloud gateway: which peer holds edge-a.
    /// </summary>
    [Theory]
    [InlineData("wireguard")]
    [InlineData("vxlan")]
    public async Task A_primary_that_comes_back_gets_the_domain_back_only_after_the_hold_down_and_without_a_flap(string backend)
    {
        await using var lab = await FailoverLab.StartAsync(backend: backend);
        try
        {
            await lab["a-gw"].DetachAsync();
            lab["a-gw"].Namespace.Ip("link", "set", "lan0", "down");
            (await AgentLab.WaitUntilAsync(() => FailoverLab.CarrierOnCloud(lab, FailoverLab.EdgeAPods) == "a-w" && lab["a-w"].Health!.Claim.Serving,
                FailoverLab.Converge)).Should().BeTrue($"the standby took over\n{FailoverLab.Probes(lab)}");

            var (toEdge, toCloud) = FailoverLab.Pings(lab, seconds: 12);
            using (toEdge)
            using (toCloud)
            {
                lab["a-gw"].Namespace.Ip("link", "set", "lan0", "up");
                lab["a-gw"].Namespace.Ip("route", "replace", "default", "via", "172.16.1.1"); // link down dropped it
                var back = Stopwatch.StartNew();
                await lab["a-gw"].StartAsync(lab.Inputs, run: true);

                // Who carries edge-a on the cloud, and whether a-w's LAN detector has a-gw Up, every 100 ms.
                var samples = new List<(TimeSpan At, string? Carrier, HealthState PrimarySeenByStandby)>();
                await Poll.TryUntilAsync(() =>
                {
                    samples.Add((back.Elapsed, FailoverLab.CarrierOnCloud(lab, FailoverLab.EdgeAPods),
                        lab["a-w"].Health!.Target(HealthTargets.Lan("a-gw"))?.Statistics.State ?? HealthState.Unknown));
                    return back.Elapsed > TimeSpan.FromSeconds(10);
                }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

                var changes = samples.Where((s, i) => i == 0 || s.Carrier != samples[i - 1].Carrier).ToList();
                output.WriteLine("carrier of edge-a on the cloud: " + string.Join(", ", changes.Select(c => $"{c.Carrier} from {c.At.TotalSeconds:0.0} s")));
                changes.Select(c => c.Carrier).Should().Equal(["a-w", "a-gw"], "one handback, no flap");
                samples.Where(s => s.Carrier == "a-gw").Should().OnlyContain(s => s.PrimarySeenByStandby == HealthState.Up,
                    "the primary carries nothing before the serving standby's detector has it Up again (after the hold-down)");
                samples.SkipWhile(s => s.Carrier != "a-gw").Should().OnlyContain(s => s.Carrier == "a-gw", "no flap back");
                await FailoverLab.ReportAsync(output, "handback to the returned primary", toEdge, toCloud);
            }

            lab["a-gw"].Health!.Claim.Serving.Should().BeTrue(FailoverLab.Probes(lab));
            lab["a-w"].Health!.Claim.Serving.Should().BeFalse(FailoverLab.Probes(lab));
        }
        finally
        {
            FailoverLab.WriteLogs(lab, output);
        }
    }

    /// <summary>A TCP stream cloud-w → a-w's pod runs across the primary's death; it must continue without a reset.</summary>
    [Theory]
    [InlineData("wireguard")]
    [InlineData("vxlan")]
    public async Task A_tcp_stream_survives_the_primarys_death(string backend)
    {
        await using var lab = await FailoverLab.StartAsync(backend: backend);
        try
        {
            using var stream = await BackgroundStream.StartAsync(lab["a-w"].Pod.Name, lab["a-w"].PodIp, lab["cloud-w"].Pod.Name, seconds: 8);
            var (toEdge, toCloud) = FailoverLab.Pings(lab);
            using (toEdge)
            using (toCloud)
            {
                await Task.Delay(TimeSpan.FromSeconds(1.5)); // the stream runs before the failure
                await lab["a-gw"].DetachAsync();
                lab["a-gw"].Namespace.Ip("link", "set", "lan0", "down");
                await FailoverLab.ReportAsync(output, "primary death with a TCP stream", toEdge, toCloud);
            }

            var (bytes, error, exit) = await stream.ResultAsync(TimeSpan.FromSeconds(60));
            var stalled = LongestRun(bytes, b => b == 0);
            output.WriteLine($"TCP stream: exit {exit}, error {error ?? "none"}, {bytes.Count} intervals of 0.1 s, longest stall {stalled * 100} ms, " +
                             $"bytes per interval {string.Join(" ", bytes)}");
            error.Should().BeNull("the stream was never reset");
            exit.Should().Be(0);
            bytes.TakeLast(10).Should().OnlyContain(b => b > 0, "bytes keep flowing after the switch");
            lab["a-w"].Health!.Claim.Serving.Should().BeTrue("the stream now runs through the standby");
        }
        finally
        {
            FailoverLab.WriteLogs(lab, output);
        }
    }

    private static int LongestRun(IReadOnlyList<long> values, Func<long, bool> predicate)
    {
        int longest = 0, run = 0;
        foreach (var value in values)
        {
            run = predicate(value) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
