using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// Issue 10 item 1 on real kernels: edge-x reuses edge-b's LAN and node IPs (172.16.2.10/.11) and every agent
/// forwards node IPs. Neither colliding domain may steer its own LAN into the tunnel, and a third domain forwards
/// only the node IPs that are unique.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed class AddressCollisionTests(ITestOutputHelper output)
{
    private const string Area = "col";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Colliding_node_ips_stay_out_of_the_tunnel_and_members_of_every_domain_still_cross()
    {
        await using var lab = await AgentLab.CreateAsync(area: Area, withCollidingEdge: true);
        lab.Inputs.SetAgentConfig(new Dictionary<string, string> { ["forward-node-ip"] = "true" });
        await lab.StartAllAsync();

        // Pod traffic from the non-gateway members of both colliding domains, and of a third domain.
        var fromB = await AgentLab.WaitForPingAsync(lab["b-w"].Pod, lab["cloud-w"].PodIp, Converge);
        fromB.Should().NotBeNull($"edge-b's member pod → cloud member pod, edge-x announcing edge-b's node IPs\n{lab.Describe()}");
        (await AgentLab.WaitForPingAsync(lab["x-w"].Pod, lab["cloud-w"].PodIp, Converge))
            .Should().NotBeNull($"edge-x's member pod → cloud member pod\n{lab.Describe()}");
        (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["b-w"].PodIp, Converge))
            .Should().NotBeNull($"edge-a's member pod → edge-b's member pod (relayed)\n{lab.Describe()}");
        (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["x-w"].PodIp, Converge))
            .Should().NotBeNull($"edge-a's member pod → edge-x's member pod (relayed)\n{lab.Describe()}");
        output.WriteLine($"b-w pod → cloud-w pod after {fromB!.Value.TotalSeconds:0.0} s");

        // Node ↔ node still works where the node IP is unique.
        (await AgentLab.WaitForPingAsync(lab["a-w"].Namespace, lab["cloud-w"].PrivateIp, Converge))
            .Should().NotBeNull($"a-w (172.16.1.11) → cloud-w (172.16.0.11): unique node IPs are forwarded\n{lab.Describe()}");

        // The colliding domains never steer their own LAN into raven0 or raven-wg0.
        foreach (var name in new[] { "b-w", "x-w" })
        {
            var ns = lab[name].Namespace;
            ns.Ip("route", "show", "table", "9027").Should().NotContain("172.16.2.", $"{name} routes none of its LAN into raven0");
            MarkSetHas(lab[name], "172.16.2.10").Should().BeFalse($"{name}'s gateway address is not in raven-mark-set");
            MarkSetHas(lab[name], "172.16.2.11").Should().BeFalse($"{name}'s own address is not in raven-mark-set");
            MarkSetHas(lab[name], "10.244.1.2").Should().BeTrue($"{name} still marks traffic to the cloud's pods");
        }

        foreach (var name in new[] { "b-gw", "x-gw" })
        {
            lab[name].Namespace.Ip("route", "show", "table", "9028").Should().NotContain("172.16.2.", $"{name} routes none of its LAN into WireGuard");
        }

        // A third domain forwards the unique node IPs and leaves out the ambiguous ones.
        MarkSetHas(lab["a-w"], "172.16.0.11").Should().BeTrue("cloud-w's node IP is unique, so edge-a forwards it");
        MarkSetHas(lab["a-w"], "172.16.2.11").Should().BeFalse("172.16.2.11 belongs to two domains, so edge-a routes it to neither");
        lab["a-gw"].Namespace.Ip("route", "show", "table", "9028").Should().NotContain("172.16.2.");

        // The agents say so: the excluded count in their metrics.
        lab["b-w"].Engine!.Metrics.ExcludedAddresses.Value.Should().Be(2, "edge-x's two node IPs are edge-b's own");
        lab["a-w"].Engine!.Metrics.ExcludedAddresses.Value.Should().Be(4, "both domains' copies of 172.16.2.10/.11");
        output.WriteLine(string.Join("\n", lab["a-w"].Engine!.LastReport!.Plan.Diagnostics));
    }

    private static bool MarkSetHas(LabNode node, string address) =>
        node.Namespace.TryExec("ipset", "test", "raven-mark-set", address).ExitCode == 0;
}
