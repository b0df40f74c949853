using Raven.Agent.Planning;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// The blackhole case: the primary a-gw's WAN dies at edge-a's router while the node, its LAN and its agent stay up.
/// Nothing notices but the probes: a-w's own tunnel still reaches the cloud (its probes travel through its own
/// peer on both sides), a-gw's does not, so a-gw yields, a-w takes over and the cloud moves edge-a to a-w's peer.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed class WanCutTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("wireguard")]
    [InlineData("vxlan")]
    public async Task When_the_primarys_wan_is_cut_at_its_router_the_domain_moves_to_the_standby(string backend)
    {
        await using var lab = await FailoverLab.StartAsync(backend: backend);
        try
        {
            FailoverLab.CarrierOnCloud(lab, FailoverLab.EdgeAPods).Should().Be("a-gw", "the primary carries edge-a before the cut");
            var (toEdge, toCloud) = FailoverLab.Pings(lab);
            using (toEdge)
            using (toCloud)
            {
                await Task.Delay(TimeSpan.FromSeconds(1)); // traffic before the failure
                CutWan(lab, "edge-a", lab["a-gw"].PrivateIp);
                await FailoverLab.ReportAsync(output, "primary WAN cut", toEdge, toCloud);
            }

            lab["a-gw"].Engine.Should().NotBeNull("a-gw's agent kept running throughout");
            lab["a-w"].Health!.Claim.Serving.Should().BeTrue($"the standby took over\n{FailoverLab.Probes(lab)}");
            lab["a-gw"].Health!.Claim.Serving.Should().BeFalse("the cut primary stepped down");
            lab["cloud-gw"].Health!.ServingGateways["edge-a"].Should().Be("a-w");
            FailoverLab.CarrierOnCloud(lab, FailoverLab.EdgeAPods).Should().Be("a-w", "the cloud moved edge-a's CIDRs to the standby's peer");
            (await AgentLab.WaitUntilAsync(() => lab["a-w"].Engine!.LastReport?.Plan.Role == PlanRole.TunnelGateway, FailoverLab.Converge))
                .Should().BeTrue(lab.Describe());
            (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-gw"].PodIp, TimeSpan.FromSeconds(5)))
                .Should().NotBeNull($"a-gw's own pod is reached through a-w now\n{lab.Describe()}");
            lab.Inputs.Get("edge-a")!.Status.ActiveEndpoints![0].NodeName.Should().Be("a-gw", "nobody changed the Gateway: the probes alone moved it");
        }
        finally
        {
            FailoverLab.WriteLogs(lab, output);
        }
    }

    /// <summary>Drops everything between <paramref name="node"/> and the internet in the domain's NAT router, both ways.</summary>
    internal static void CutWan(AgentLab lab, string domain, string node)
    {
        var router = lab.RouterOf(domain);
        router.Exec("iptables", "-w", "-I", "FORWARD", "-s", node, "-o", "wan", "-j", "DROP");
        router.Exec("iptables", "-w", "-I", "FORWARD", "-d", node, "-i", "wan", "-j", "DROP");
    }
}
