using System.Net;
using Raven.Lab.Topology;

namespace Raven.Network.Tests.Lab;

/// <summary>The NAT routers behave like real ones: port-preserving masquerade, and UDP hole punching works.</summary>
[Collection(LabCollection.Name)]
public sealed class LabNatTests(LabTopologyFixture lab)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(5);
    private readonly LabTopology topology = lab.Topology;

    [Fact]
    public async Task The_cloud_gateway_sees_an_edge_node_as_its_NATs_public_address_and_can_answer()
    {
        const int port = 4501;
        var cloud = topology.Domain("cloud");
        var hangzhou = topology.Domain("hz");
        using var gateway = NetnsUdp.Bind(topology.Names.Node(cloud.Nodes[0]), port);
        using var edge = NetnsUdp.Bind(topology.Names.Node(hangzhou.Nodes[0]), port);

        await edge.SendAsync(cloud.Router.Exposure!.PublicAddress, port, "hello");
        var received = await gateway.ReceiveAsync(Arrival);

        received.Should().NotBeNull();
        received!.Value.From.Should().Be(new IPEndPoint(hangzhou.Router.WanAddress, port), "masquerade keeps the source port");
        await gateway.SendAsync(received.Value.From.Address, received.Value.From.Port, "welcome");
        (await edge.ReceiveAsync(Arrival))?.Text.Should().Be("welcome");
    }

    [Fact]
    public async Task Two_edges_punch_a_hole_through_both_NATs_once_both_have_sent()
    {
        const int port = 4500;
        var hangzhou = topology.Domain("hz");
        var qingdao = topology.Domain("qd");
        using var hz = NetnsUdp.Bind(topology.Names.Node(hangzhou.Nodes[0]), port);
        using var qd = NetnsUdp.Bind(topology.Names.Node(qingdao.Nodes[0]), port);

        await hz.SendAsync(qingdao.Router.WanAddress, port, "first");
        (await qd.ReceiveAsync(Quiet)).Should().BeNull("qingdao's NAT drops unsolicited inbound");

        await qd.SendAsync(hangzhou.Router.WanAddress, port, "second");
        var atHz = await hz.ReceiveAsync(Arrival);
        atHz.Should().NotBeNull("hangzhou's NAT lets in the answer to its own earlier packet");
        atHz!.Value.From.Should().Be(new IPEndPoint(qingdao.Router.WanAddress, port));

        await hz.SendAsync(qingdao.Router.WanAddress, port, "third");
        (await qd.ReceiveAsync(Arrival))?.Text.Should().Be("third");
    }
}
