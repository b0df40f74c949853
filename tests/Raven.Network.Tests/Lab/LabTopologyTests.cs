using System.Net;
using Raven.Lab.Build;
using Raven.Lab.Topology;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class LabTopologyTests(LabTopologyFixture lab, ITestOutputHelper output)
{
    private readonly LabProbe probe = new(lab.Runner);
    private readonly LabTopology topology = lab.Topology;

    private LabNames Names => topology.Names;

    private IPAddress CloudPublicAddress => topology.Domain("cloud").Router.Exposure!.PublicAddress;

    [Fact]
    public void Building_reports_its_duration()
    {
        output.WriteLine(lab.Report!.ToString());
        lab.Report.Stages.Select(s => s.Name).Should().Equal("namespaces", "links", "addresses");
        LabBuilder.ExistingNamespaces(LabTopologyFixture.Prefix).Should().BeEquivalentTo(topology.Namespaces);
    }

    [Fact]
    public async Task Nothing_of_the_lab_lives_in_the_root_namespace_and_the_internet_leads_nowhere()
    {
        var labInterfaces = TopologyCheck.Interfaces(topology).Select(i => i.Interface)
            .Where(i => i is not LabNames.NodeLan and not LabNames.NodePodBridge)
            .ToHashSet();

        (await probe.InterfaceNamesAsync(null)).Should().NotIntersectWith(labInterfaces);
        (await probe.InterfaceNamesAsync(Names.Internet)).Should().BeEquivalentTo(
            ["lo", LabNames.InternetBridge, .. topology.Domains.Select(LabNames.InternetPort)]);
        (await probe.DefaultRouteCountAsync(Names.Internet)).Should().Be(0);
    }

    [Theory]
    [InlineData("cloud")]
    [InlineData("hz")]
    [InlineData("qd")]
    [InlineData("sz")]
    public async Task Nodes_of_one_domain_reach_each_other(string domain)
    {
        var nodes = topology.Domain(domain).Nodes;

        (await probe.PingEventuallyAsync(Names.Node(nodes[0]), nodes[1].LanAddress)).Should().BeTrue();
        (await probe.PingEventuallyAsync(Names.Node(nodes[1]), nodes[0].LanAddress)).Should().BeTrue();
    }

    [Theory]
    [InlineData("hz-1")]
    [InlineData("qd-2")]
    [InlineData("sz-1")]
    [InlineData("cloud-2")]
    public async Task A_node_reaches_the_cloud_gateways_public_address_through_its_router(string node)
    {
        (await probe.PingEventuallyAsync(Names.Node(topology.Node(node)), CloudPublicAddress)).Should().BeTrue();
    }

    [Fact]
    public async Task The_cloud_gateway_cannot_reach_an_edge_unsolicited()
    {
        var cloudGateway = Names.Node(topology.Node("cloud-1"));
        var hangzhou = topology.Domain("hz");
        (await probe.PingEventuallyAsync(cloudGateway, topology.Internet.Subnets[0].CoreAddress)).Should().BeTrue("the internet is reachable");

        (await probe.NeverAnsweredAsync(cloudGateway, hangzhou.Nodes[0].LanAddress)).Should().BeTrue("edge LANs are private");
        (await probe.NeverAnsweredAsync(cloudGateway, hangzhou.Router.WanAddress)).Should().BeTrue("edge NATs drop unsolicited inbound");
    }

    [Fact]
    public async Task Edges_cannot_reach_each_other_or_the_clouds_private_nodes_unsolicited()
    {
        var hz1 = Names.Node(topology.Node("hz-1"));
        (await probe.PingEventuallyAsync(hz1, CloudPublicAddress)).Should().BeTrue("the edge has a way out");

        (await probe.NeverAnsweredAsync(hz1, topology.Domain("qd").Router.WanAddress)).Should().BeTrue();
        (await probe.NeverAnsweredAsync(hz1, topology.Node("qd-1").LanAddress)).Should().BeTrue();
        (await probe.NeverAnsweredAsync(hz1, topology.Node("cloud-2").LanAddress)).Should().BeTrue();
    }

    [Theory]
    [InlineData("cloud-1")]
    [InlineData("hz-2")]
    [InlineData("sz-2")]
    public async Task A_pod_and_its_node_reach_each_other(string nodeName)
    {
        var node = topology.Node(nodeName);

        (await probe.PingEventuallyAsync(Names.Pod(node), node.PodGatewayAddress)).Should().BeTrue();
        (await probe.PingEventuallyAsync(Names.Node(node), node.PodAddress)).Should().BeTrue();
    }

    [Fact]
    public async Task Hangzhou_and_shenzhen_nodes_share_addresses_but_live_apart()
    {
        var hz1 = Names.Node(topology.Node("hz-1"));
        var sz1 = Names.Node(topology.Node("sz-1"));
        var peer = topology.Node("hz-2").LanAddress;

        (await probe.Ipv4AddressesAsync(hz1, LabNames.NodeLan)).Should().Equal("172.16.2.103/24");
        (await probe.Ipv4AddressesAsync(sz1, LabNames.NodeLan)).Should().Equal("172.16.2.103/24");

        // The same address .104 answers in both domains, each time from that domain's own node.
        (await probe.PingEventuallyAsync(hz1, peer)).Should().BeTrue();
        (await probe.PingEventuallyAsync(sz1, peer)).Should().BeTrue();
        var hz2Mac = await probe.MacAsync(Names.Node(topology.Node("hz-2")), LabNames.NodeLan);
        var sz2Mac = await probe.MacAsync(Names.Node(topology.Node("sz-2")), LabNames.NodeLan);
        hz2Mac.Should().NotBe(sz2Mac);
        (await probe.NeighbourMacAsync(hz1, peer)).Should().Be(hz2Mac);
        (await probe.NeighbourMacAsync(sz1, peer)).Should().Be(sz2Mac);
    }
}
