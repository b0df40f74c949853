using System.Diagnostics;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel.WireGuard;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// Tunnel Replicas 2 on edge-a: a-gw is the primary, a-w the hot standby. Observed in wireguard-go (UAPI) and with
/// pings between pods, never from the plan alone.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed class HotStandbyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_standby_keeps_its_handshake_with_the_cloud_up_and_taking_over_needs_no_new_handshake()
    {
        await using var lab = await AgentLab.CreateAsync();
        await lab.StartAllAsync();
        (await AgentLab.WaitUntilAsync(() => lab.Inputs.Get("edge-a")!.Spec.Endpoints!.All(e => e.Config?.ContainsKey("publicKey") == true),
            Converge)).Should().BeTrue("every tunnel endpoint node publishes its key");
        lab.Activate("edge-a", "a-gw", "a-w");

        var cloud = UapiClient.ForInterface(lab["cloud-gw"].WireGuardInterface);
        var standbyKey = lab["a-w"].Vpn!.PublicKey();
        WireGuardPeer? standby = null;
        var warm = await AgentLab.WaitUntilAsync(() =>
        {
            standby = cloud.GetDeviceAsync(CancellationToken.None).GetAwaiter().GetResult().Peers.SingleOrDefault(p => p.PublicKey.ToBase64() == standbyKey);
            return standby?.LastHandshake is not null;
        }, Converge);
        warm.Should().BeTrue($"the standby a-w handshakes with the cloud before it carries anything\n{lab.Describe()}");
        standby!.AllowedIPs.Select(a => a.ToString()).Should().Equal([$"{lab["a-w"].PrivateIp}/32"],
            "a standby pair routes only the standby node's own address (its probes travel through its own peer)");
        (await AgentLab.WaitUntilAsync(() => lab["a-w"].Engine!.LastReport?.Plan.Role == PlanRole.StandbyGateway, Converge)).Should().BeTrue(lab.Describe());
        (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, Converge)).Should().NotBeNull($"the primary a-gw carries edge-a\n{lab.Describe()}");
        var handshakeBefore = standby.LastHandshake;

        using var ping = BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-w"].PodIp, count: 50);
        await Task.Delay(TimeSpan.FromSeconds(1)); // part of the traffic the ping spans before the switch
        var clock = Stopwatch.StartNew();
        lab.Activate("edge-a", "a-w", "a-gw");
        (await AgentLab.WaitUntilAsync(() => lab["a-w"].Engine!.LastReport?.Plan.Role == PlanRole.TunnelGateway, Converge)).Should().BeTrue(lab.Describe());
        var first = await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-gw"].PodIp, Converge);
        first.Should().NotBeNull($"traffic follows the standby that took over\n{lab.Describe()}");
        output.WriteLine($"take-over a-gw → a-w: a-gw's pod answered {clock.Elapsed.TotalSeconds:0.00} s after the status change");

        var after = (await cloud.GetDeviceAsync(CancellationToken.None)).Peers.Single(p => p.PublicKey.ToBase64() == standbyKey);
        after.AllowedIPs.Should().NotBeEmpty("the cloud moved edge-a's CIDRs to the peer that took over");
        var (sent, received, text) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"running ping across the take-over: {sent - received} of {sent} lost; standby handshake before {handshakeBefore:O}, now {after.LastHandshake:O}");
        received.Should().BeGreaterThan(0, text);
        (await AgentLab.WaitUntilAsync(() => lab["a-gw"].Engine!.LastReport?.Plan.Role == PlanRole.StandbyGateway, Converge))
            .Should().BeTrue("the old primary stays ready as the new standby");
        lab["a-gw"].Namespace.TryExec("ip", "link", "show", "rvtag-agw").ExitCode.Should().Be(0, "its WireGuard device stays up");
    }

    /// <summary>
    /// The primary a-gw dies (agent gone, LAN down: silent on LAN and WAN). Nobody touches the Gateways: the probes
    /// alone move edge-a to the standby a-w, on the cloud gateway and on a-w. 10 ms pings in both directions.
    /// </summary>
    [Fact]
    public async Task When_the_primary_dies_the_probes_alone_move_the_domain_to_the_standby()
    {
        await using var lab = await AgentLab.CreateAsync();
        foreach (var node in lab.Nodes.Values)
        {
            node.Failover = true;
        }

        try
        {
            await PrimaryDeathAsync(lab);
        }
        finally
        {
            foreach (var name in new[] { "cloud-gw", "a-w", "a-gw" })
            {
                output.WriteLine(lab[name].HealthLog.ToString());
            }
        }
    }

    private async Task PrimaryDeathAsync(AgentLab lab)
    {
        await lab.StartAllAsync();
        (await AgentLab.WaitUntilAsync(() => lab.Inputs.Get("edge-a")!.Spec.Endpoints!.All(e => e.Config?.ContainsKey("publicKey") == true),
            Converge)).Should().BeTrue("every tunnel endpoint node publishes its key");
        lab.Activate("edge-a", "a-gw", "a-w");
        var ready = await AgentLab.WaitUntilAsync(() =>
            lab["cloud-gw"].Health!.Target(Raven.Agent.Health.Wiring.HealthTargets.Tunnel("edge-a", "a-gw"))?.Statistics.State == Raven.Agent.Health.Detection.HealthState.Up &&
            lab["a-w"].Health!.Target(Raven.Agent.Health.Wiring.HealthTargets.Lan("a-gw"))?.Statistics.State == Raven.Agent.Health.Detection.HealthState.Up &&
            lab["a-gw"].Health!.Claim.Serving, Converge);
        ready.Should().BeTrue($"the cloud probes a-gw through the tunnel, a-w probes it over the LAN, a-gw claims to serve\n{lab.Describe()}");
        (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, Converge)).Should().NotBeNull(lab.Describe());

        using var toEdge = BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-w"].PodIp, count: 500, interval: "0.01");
        using var toCloud = BackgroundPing.Start(lab["a-w"].Pod.Name, lab["cloud-w"].PodIp, count: 500, interval: "0.01");
        await Task.Delay(TimeSpan.FromSeconds(1)); // traffic before the failure
        await lab["a-gw"].DetachAsync();
        lab["a-gw"].Namespace.Ip("link", "set", "lan0", "down");

        var (sentIn, receivedIn, textIn) = await toEdge.ResultAsync(TimeSpan.FromSeconds(60));
        var (sentOut, receivedOut, textOut) = await toCloud.ResultAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"primary death: cloud → edge lost {sentIn - receivedIn} of {sentIn} (≈ {(sentIn - receivedIn) * 10} ms), " +
                         $"edge → cloud lost {sentOut - receivedOut} of {sentOut} (≈ {(sentOut - receivedOut) * 10} ms)");
        lab.Inputs.Get("edge-a")!.Status.ActiveEndpoints![0].NodeName.Should().Be("a-gw", "the controller's status was never changed");
        lab["cloud-gw"].Health!.ServingGateways["edge-a"].Should().Be("a-w");
        lab["a-w"].Health!.Claim.Serving.Should().BeTrue("the standby took over");
        (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, TimeSpan.FromSeconds(5))).Should().NotBeNull($"traffic is back\n{textIn}\n{lab.Describe()}");
        receivedIn.Should().BeGreaterThan(sentIn / 2, textIn);
        receivedOut.Should().BeGreaterThan(sentOut / 2, textOut);
    }
}
