using Raven.Agent.Nat;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Network.Tests.Agent;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Nat;

/// <summary>
/// NAT discovery run by the agents themselves: the cloud gateway's agent serves STUN, the NATed edge gateways learn
/// their public endpoint from the tunnel's own port and publish it in their Gateway. The edge routers of the agent lab
/// masquerade port-preservingly and drop unsolicited inbound: a port-restricted cone.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed class NatDiscoveryAgentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Edge_gateways_publish_their_public_endpoint_and_nat_type_learned_from_the_cloud_gateway_and_stay_relayed()
    {
        await using var lab = await AgentLab.CreateAsync();
        foreach (var node in lab.Nodes.Values)
        {
            node.NatTraversal = true;
        }

        await lab.StartAllAsync();
        foreach (var (domain, node, publicIp) in new[] { ("edge-a", "a-gw", "198.51.100.2"), ("edge-b", "b-gw", "198.51.100.18") })
        {
            var published = await AgentLab.WaitUntilAsync(() =>
                lab.Inputs.Get(domain)!.Spec.Endpoints!.Single(e => e.NodeName == node && e.Type == "tunnel").NATType is { Length: > 0 }, Converge);
            var endpoint = lab.Inputs.Get(domain)!.Spec.Endpoints!.Single(e => e.NodeName == node && e.Type == "tunnel");
            output.WriteLine($"{node}: publicIP={endpoint.PublicIP} publicPort={endpoint.PublicPort} natType={endpoint.NATType}\n{lab[node].NatLog}");
            published.Should().BeTrue($"{node} publishes what it learned\n{lab[node].NatLog}\ncloud: {lab["cloud-gw"].NatLog}");
            endpoint.NATType.Should().Be(UpstreamNatType.PortRestrictedCone, "the router keeps the mapping per flow source and drops what was not asked for");
            endpoint.PublicIP.Should().Be(publicIp);
            endpoint.PublicPort.Should().Be(4500, "masquerade kept the tunnel's source port");
        }

        lab["cloud-gw"].Nat!.Answered.Should().BeGreaterThan(0, "the edges asked the cloud gateway, nobody else");
        lab["a-w"].Nat!.Runs.Should().Be(0, "a node that is not an active tunnel endpoint does not probe");

        // A port behind a filtering NAT is not dialable: edge-a and edge-b stay relayed through the cloud, observed in
        // wireguard-go, and their pods keep reaching each other.
        var edgeA = UapiClient.ForInterface(lab["a-gw"].WireGuardInterface);
        var peers = (await edgeA.GetDeviceAsync(CancellationToken.None)).Peers;
        var bKey = lab["b-gw"].Vpn!.PublicKey();
        // Without failover probes nothing measures the punched path, so its peer (beside the relay) routes nothing.
        peers.Where(p => p.PublicKey.ToBase64() == bKey).All(p => p.AllowedIPs.Count == 0).Should().BeTrue(
            "a punched peer towards the other NATed edge (there once both published) carries nothing until probes choose it");
        (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["b-w"].PodIp, Converge)).Should().NotBeNull($"edge-a reaches edge-b through the relay\n{lab.Describe()}");
    }
}
