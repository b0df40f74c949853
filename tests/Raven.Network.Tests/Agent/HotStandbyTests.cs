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
        standby!.AllowedIPs.Should().BeEmpty("a standby pair routes nothing");
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
}
