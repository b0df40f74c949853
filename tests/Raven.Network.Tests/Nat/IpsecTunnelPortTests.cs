using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Nat;
using Raven.Agent.Tunnel.IPsec;
using Raven.Network.Tests.IPsec;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Nat;

/// <summary>
/// STUN from charon's NAT-T port: the edge's charon (kernel-libipsec) holds 4500 and has an IKE SA with the
/// cloud's through a port-restricted NAT. The raw transport learns the public endpoint from that same port, which
/// is the remote address and port of the cloud's IKE SA; charon, which receives the STUN answers too, takes them for
/// ESP with an unknown SPI and drops them: the SAs are the same ones afterwards and still carry traffic.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(IpsecLabCollection.Name)]
public sealed class IpsecTunnelPortTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stun_from_charons_port_learns_the_ike_peer_address_and_leaves_the_sas_alone()
    {
        await using var lab = await IpsecLab.CreateAsync(area: "ntips");
        var (cloud, edge) = (lab["cloud"], lab["edge1"]);
        await using var responder = NetworkNamespace.Run(cloud.Namespace.Name, () => StunResponder.Start(new StunResponderOptions
        {
            Layout = new StunResponderLayout(cloud.IkeAddress, null, StunResponderLayout.DefaultPrimaryPort, StunResponderLayout.DefaultAlternatePort, StunResponderLayout.DefaultChangeSourcePort),
            PrimaryBindAddress = cloud.IkeAddress,
        }));
        await cloud.Tunnel.ApplyAsync([IpsecTunnelTests.Spec(cloud, edge, null, IpsecRole.Responder)], CancellationToken.None);
        await edge.Tunnel.ApplyAsync([IpsecTunnelTests.Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator)], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull("the IPsec tunnel is up");
        var cloudSa = (await cloud.Tunnel.Supervisor!.Client.ListSasAsync(CancellationToken.None)).Should().ContainSingle().Subject;
        var edgeSa = (await edge.Tunnel.Supervisor!.Client.ListSasAsync(CancellationToken.None)).Should().ContainSingle().Subject;
        var cloudView = new IPEndPoint(IPAddress.Parse(cloudSa.RemoteHost!), cloudSa.RemotePort!.Value);

        NatDiscoveryResult result;
        await using (var transport = NetworkNamespace.Run(edge.Namespace.Name, () => StunTransports.Open(TunnelPortMode.Auto, 4500, cloud.IkeAddress)))
        {
            transport.Mode.Should().Be(StunTransportMode.Raw, "charon holds the NAT-T port");
            await using var client = new StunClient(transport);
            result = await NatProbe.RunAsync(client, NatClassificationNamespaceTests.Fast with { Responder = new IPEndPoint(cloud.IkeAddress, StunResponderLayout.DefaultPrimaryPort) }, CancellationToken.None);
        }

        result.IsSuccess.Should().BeTrue(result.Detail);
        result.Classification!.UpstreamNatType.Should().Be(UpstreamNatType.PortRestrictedCone, result.Classification.ToString());
        var check = CloudViewCrossCheck.Compare(result.Classification, cloudView, CloudViewSource.IkePeerAddress);
        check.Verdict.Should().Be(CrossCheckVerdict.Agree, check.Diagnostic);

        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull("the tunnel still carries traffic");
        var cloudAfter = (await cloud.Tunnel.Supervisor.Client.ListSasAsync(CancellationToken.None)).Should().ContainSingle().Subject;
        var edgeAfter = (await edge.Tunnel.Supervisor.Client.ListSasAsync(CancellationToken.None)).Should().ContainSingle().Subject;
        (cloudAfter.UniqueId, cloudAfter.IsEstablished).Should().Be((cloudSa.UniqueId, true), "the cloud's IKE SA was not touched");
        (edgeAfter.UniqueId, edgeAfter.IsEstablished).Should().Be((edgeSa.UniqueId, true), "the edge's IKE SA was not touched");
        edgeAfter.Children.Select(c => c.UniqueId).Should().Equal(edgeSa.Children.Select(c => c.UniqueId));
    }
}
