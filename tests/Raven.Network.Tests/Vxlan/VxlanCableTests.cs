using Raven.Agent.Engine;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Network.Tests.Agent;
using Raven.TestSupport;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Vxlan;

/// <summary>
/// Issue 14 items 4 and 5 for the vxlan backend: in-process engines, one per node namespace, on gateways that share a
/// private underlay. Pods reach each other over the unencrypted cable, a re-apply sends nothing, a peer under NAT
/// is refused until raven-agent-config allows it, a restarted engine adopts the cable, cleanup leaves nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VxlanCableTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    private static Task<TimeSpan?> PingAsync(Raven.TestSupport.Network.TestNamespace from, string target, TimeSpan deadline) =>
        Raven.TestSupport.Network.AgentLab.WaitForPingAsync(from, target, deadline);

    [Fact]
    public async Task Pods_reach_each_other_over_the_cable_a_reapply_changes_nothing_and_a_peer_under_nat_waits_for_the_allow_key()
    {
        await using var lab = await VxlanCableLab.CreateAsync();
        await lab.StartAllAsync();

        (await PingAsync(lab["cloud-gw"].Pod, lab["a-gw"].PodIp, Converge)).Should().NotBeNull($"cloud gateway pod → cable → edge-a pod\n{lab.Describe()}");
        var memberToEdge = await PingAsync(lab["cloud-w"].Pod, lab["a-gw"].PodIp, Converge);
        memberToEdge.Should().NotBeNull($"cloud member pod → raven0 → cloud gateway → cable → edge-a pod\n{lab.Describe()}");
        output.WriteLine($"cloud-w pod → a-gw pod after {memberToEdge!.Value.TotalSeconds:0.0} s");
        (await PingAsync(lab["a-gw"].Pod, lab["b-gw"].PodIp, Converge)).Should().NotBeNull($"edge-a → edge-b directly\n{lab.Describe()}");
        (await PingAsync(lab["b-gw"].Pod, lab["cloud-w"].PodIp, Converge)).Should().NotBeNull($"edge-b → cloud member\n{lab.Describe()}");

        // The packets really crossed the cable: its device counted them, and the kernel holds one FDB entry per peer.
        var cloud = lab["cloud-gw"];
        var link = cloud.Kernel!.Netlink.GetLink(VxlanCableProfile.DeviceName);
        link.Stats!.TxPackets.Should().BeGreaterThan(0);
        link.Stats.RxPackets.Should().BeGreaterThan(0);
        cloud.Namespace.Ip("-d", "link", "show", VxlanCableProfile.DeviceName).Should().Contain("vxlan id 201").And.Contain("dstport 4474");
        var fdb = cloud.Namespace.Exec("bridge", "fdb", "show", "dev", VxlanCableProfile.DeviceName);
        fdb.Should().Contain("dst 10.77.0.20").And.Contain("dst 10.77.0.30").And.NotContain("dst 10.77.0.40").And.NotContain("00:00:00:00:00:00");
        cloud.Namespace.Ip("route", "show", "table", "9028").Should().Contain("10.250.1.0/24 via 10.77.0.20 dev raven-cable0");

        // The peer under NAT is refused with a diagnostic on every gateway, and nothing reaches its pod.
        foreach (var name in new[] { "cloud-gw", "a-gw" })
        {
            lab[name].Engine!.LastReport!.Plan.Diagnostics.Should().Contain(d =>
                d.Subject == "gateway/edge-n" && d.Kind == DiagnosticKind.SkippedPeer && d.Message.Contains("is under NAT") &&
                d.Message.Contains("--vxlan-allow-untrusted-underlay"), name);
        }

        lab["a-gw"].Pod.TryExec("ping", "-n", "-c", "1", "-W", "1", lab["n-gw"].PodIp).ExitCode.Should().NotBe(0, "the cable refuses edge-n");

        // Every engine re-applies the same plan: no netlink request, no restore, no sysctl write, no tunnel change.
        foreach (var node in lab.Nodes.Values)
        {
            var report = await node.Engine!.ApplyOnceAsync(CancellationToken.None);
            report.Errors.Should().BeEmpty(node.Name);
            (report.NetlinkChanges, report.NetfilterRestores, report.SysctlWrites, report.TunnelChanged)
                .Should().Be((0L, 0L, 0L, false), $"{node.Name} re-applies an unchanged plan");
        }

        var connections = await cloud.Tunnel!.ConnectionsAsync(CancellationToken.None);
        connections.Select(c => (c.Gateway, c.State)).Should().BeEquivalentTo(new[] { ("edge-a", TunnelConnectionState.Up), ("edge-b", TunnelConnectionState.Up) });
        (await Poll.TryUntilAsync(() => cloud.Engine!.NotReadyReason() is null, TimeSpan.FromSeconds(20))).Should().BeTrue(cloud.Engine!.NotReadyReason());

        // raven-agent-config allows the untrusted underlay: the next pass connects edge-n, without an agent restart.
        lab.Inputs.SetAgentConfig(new Dictionary<string, string> { [AgentOptionsParser.VxlanAllowUntrustedUnderlay] = "true" });
        var allowed = await PingAsync(lab["a-gw"].Pod, lab["n-gw"].PodIp, Converge);
        allowed.Should().NotBeNull($"with the allow key edge-a reaches edge-n\n{lab.Describe()}");
        lab["cloud-gw"].Engine!.LastReport!.Plan.Diagnostics.Should().NotContain(d => d.Subject == "gateway/edge-n" && d.Kind == DiagnosticKind.SkippedPeer);
    }

    [Fact]
    public async Task A_restarted_engine_adopts_the_cable_and_a_running_ping_keeps_going()
    {
        await using var lab = await VxlanCableLab.CreateAsync();
        await lab.StartAllAsync();
        (await PingAsync(lab["cloud-w"].Pod, lab["a-gw"].PodIp, Converge)).Should().NotBeNull(lab.Describe());

        using var ping = BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-gw"].PodIp, count: 30);
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var name in new[] { "a-gw", "cloud-gw" })
        {
            await lab[name].DetachAsync();
            lab[name].Namespace.Ip("link", "show", VxlanCableProfile.DeviceName).Should().Contain("UP", "detaching leaves the cable in place");
            await lab[name].StartAsync(lab.Inputs, run: false);
            var adopted = await lab[name].Engine!.ApplyOnceAsync(CancellationToken.None);
            adopted.Errors.Should().BeEmpty();
            (adopted.NetlinkChanges, adopted.NetfilterRestores, adopted.TunnelChanged)
                .Should().Be((0L, 0L, false), $"the new engine on {name} adopts the cable, its FDB and neighbours as they are");
        }

        var (sent, received, text) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"restart of both gateways' engines during ping: {sent - received} of {sent} lost");
        received.Should().Be(sent, text);
    }

    [Fact]
    public async Task Cleanup_removes_the_cable_and_everything_raven_created()
    {
        await using var lab = await VxlanCableLab.CreateAsync();
        await lab.StartAllAsync();
        (await PingAsync(lab["a-gw"].Pod, lab["cloud-w"].PodIp, Converge)).Should().NotBeNull(lab.Describe());
        var gw = lab["a-gw"];
        await gw.DetachAsync();

        using var kernel = await NodeKernel.OpenAsync(gw.Namespace.Name, CancellationToken.None);
        await using var cable = new VxlanCableBackend(kernel.Reconciler, nodeName: null);
        var errors = await AgentCleanup.RunAsync(kernel, cable, CancellationToken.None);

        errors.Should().BeEmpty();
        var all = gw.Namespace.Exec("iptables-save") + gw.Namespace.Exec("ipset", "list", "-n") + gw.Namespace.Ip("link") + gw.Namespace.Ip("rule");
        all.Should().NotContainAny("RAVEN-", "raven-", "raven0", "lookup 9027", "lookup 9028");
        gw.Namespace.Ip("route", "show", "table", "all").Should().NotContain("table 9027").And.NotContain("table 9028");
        gw.Namespace.Exec("bridge", "fdb", "show").Should().NotContain("10.77.0.");
        (await AgentCleanup.RunAsync(kernel, cable, CancellationToken.None)).Should().BeEmpty("cleanup twice is harmless");
    }
}
