using Raven.Api.Net;
using Raven.Agent.Planning;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

public class RelayAndNatTests
{
    [Fact]
    public void Two_nated_edges_relay_through_the_cloud_gateway()
    {
        var plan = Plan("edge1-gw", CloudAndTwoNatedEdges());

        plan.CentralGateway.Should().Be("cloud");
        plan.Paths.Select(p => (p.Gateway, p.Kind, p.Via)).Should().Equal(
            ("cloud", PathKind.Direct, "cloud"), ("edge2", PathKind.Relay, "cloud"));
        var peer = plan.Tunnel!.Peers.Should().ContainSingle().Subject;
        peer.GatewayName.Should().Be("cloud");
        peer.Endpoint.Should().Be(new PeerEndpoint(Ip("203.0.113.10"), 4500));
        peer.RemoteCidrs.Select(c => c.ToString()).Should().Equal("10.244.0.0/23", "10.244.20.0/23");
        peer.Domains.Should().Equal("cloud", "edge2");
        peer.KeepaliveSeconds.Should().Be(5);
        plan.Routes.Where(r => r.Table == 9028).Select(r => r.Destination.ToString())
            .Should().Equal("10.244.0.0/23", "10.244.20.0/23");
    }

    [Fact]
    public void The_central_gateway_carries_traffic_between_the_edges()
    {
        var plan = Plan("cloud-gw", CloudAndTwoNatedEdges());

        plan.Tunnel!.Peers.Should().OnlyContain(p => p.Endpoint == null && p.KeepaliveSeconds == 5);
        plan.Tunnel.Peers.Select(p => p.GatewayName).Should().Equal("edge1", "edge2");
        var skipNat = plan.IpSets.Single(s => s.Name == "raven-skip-nat-set").Entries.Select(e => e.ToString());
        skipNat.Should().Contain(["10.244.10.0/23,10.244.20.0/23", "10.244.20.0/23,10.244.10.0/23"]);
        plan.Routes.Where(r => r.Table == 9028).Select(r => r.Destination.ToString())
            .Should().Equal("10.244.10.0/23", "10.244.20.0/23");
    }

    [Fact]
    public void A_member_of_a_nated_edge_routes_the_relayed_domain_too()
    {
        var plan = Plan("edge1-w1", CloudAndTwoNatedEdges());

        plan.Routes.Select(r => r.Destination.ToString()).Should().Equal("10.244.0.0/23", "10.244.20.0/23");
    }

    [Fact]
    public void An_edge_not_under_nat_is_reached_directly()
    {
        var plan = Plan("edge1-gw", CloudAndTwoNatedEdges(secondEdgeDialable: true));

        plan.Paths.Should().OnlyContain(p => p.Kind == PathKind.Direct);
        plan.Tunnel!.Peers.Select(p => (p.GatewayName, p.Endpoint)).Should().Equal(
            ("cloud", new PeerEndpoint(Ip("203.0.113.10"), 4500)), ("edge2", new PeerEndpoint(Ip("198.51.100.30"), 4500)));
        Plan("cloud-gw", CloudAndTwoNatedEdges(secondEdgeDialable: true)).IpSets
            .Single(s => s.Name == "raven-skip-nat-set").Entries.Should().NotContain(e => e.First == C("10.244.10.0/23") && e.Second == C("10.244.20.0/23"));
    }

    [Fact]
    public void A_nated_edge_with_a_known_public_port_is_dialled_on_that_port()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[2].Status.ActiveEndpoints![0].PublicPort = 31000;

        var plan = Plan("edge1-gw", gateways);

        plan.Paths.Single(p => p.Gateway == "edge2").Kind.Should().Be(PathKind.Direct);
        plan.Tunnel!.Peers.Single(p => p.GatewayName == "edge2").Endpoint.Should().Be(new PeerEndpoint(Ip("198.51.100.30"), 31000));
    }

    [Fact]
    public void The_dialable_nated_edge_waits_for_the_other_edge_to_dial_in()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[2].Status.ActiveEndpoints![0].PublicPort = 31000;

        var peer = Plan("edge2-gw", gateways).Tunnel!.Peers.Single(p => p.GatewayName == "edge1");

        peer.Endpoint.Should().BeNull();
        peer.KeepaliveSeconds.Should().Be(5);
        peer.Domains.Should().Equal("edge1");
    }

    [Theory]
    [InlineData(false, 0, false, 0, PathKind.Direct)]
    [InlineData(true, 0, false, 0, PathKind.Direct)]
    [InlineData(false, 0, true, 0, PathKind.Direct)]
    [InlineData(true, 0, true, 0, PathKind.Relay)]
    [InlineData(true, 4501, true, 0, PathKind.Direct)]
    [InlineData(true, 0, true, 4502, PathKind.Direct)]
    public void Default_policy_goes_direct_when_either_side_is_dialable(bool aNat, int aPort, bool bNat, int bPort, PathKind expected)
    {
        var a = View("a", aNat, aPort);
        var b = View("b", bNat, bPort);

        ReachabilityPathPolicy.Instance.Choose(a, b).Should().Be(expected);
        ReachabilityPathPolicy.Instance.Choose(b, a).Should().Be(expected);
    }

    [Theory]
    [InlineData("Port Restricted cone NAT", PathKind.Relay)]
    [InlineData("Restricted cone NAT", PathKind.Relay)]
    [InlineData("Symmetric NAT", PathKind.Relay)]
    [InlineData("Full cone NAT", PathKind.Direct)]
    public void A_public_port_learned_by_nat_discovery_is_dialled_only_when_the_nat_lets_anyone_in(string natType, PathKind expected)
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[2].Status.ActiveEndpoints![0].PublicPort = 4500;
        gateways[2].Status.ActiveEndpoints![0].NATType = natType;

        Plan("edge1-gw", gateways).Paths.Single(p => p.Gateway == "edge2").Kind.Should().Be(expected);
    }

    [Fact]
    public void Central_is_the_lowest_named_exposed_gateway_not_under_nat()
    {
        DomainView[] domains =
        [
            View("c", underNat: false, exposed: true), View("a", underNat: true, exposed: true),
            View("b", underNat: false, exposed: true), View("0", underNat: false, exposed: false),
        ];

        ReachabilityPathPolicy.Instance.SelectCentral(domains)!.Name.Should().Be("b");
    }

    [Fact]
    public void Without_an_exposed_gateway_two_nated_edges_cannot_reach_each_other()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[0].Spec.ExposeType = null;

        var plan = Plan("edge1-gw", gateways);

        plan.CentralGateway.Should().BeNull();
        plan.Paths.Select(p => p.Gateway).Should().Equal("cloud");
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/edge2" && d.Message.Contains("unreachable"));
    }

    [Fact]
    public void A_peer_without_public_key_is_omitted_with_a_reason()
    {
        var gateways = CloudAndTwoNatedEdges(secondEdgeDialable: true);
        gateways[2].Status.ActiveEndpoints![0].Config = null;

        var plan = Plan("cloud-gw", gateways);

        plan.Tunnel!.Peers.Select(p => p.GatewayName).Should().Equal("edge1");
        plan.Routes.Should().NotContain(r => r.Destination == C("10.244.20.0/23"));
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/edge2" && d.Message.Contains("public key unknown"));
    }

    [Fact]
    public void Without_the_central_key_relayed_domains_are_unreachable()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[0].Status.ActiveEndpoints![0].Config!["publicKey"] = "not-a-key";

        var plan = Plan("edge1-gw", gateways);

        plan.Tunnel!.Peers.Should().BeEmpty();
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/cloud" && d.Message.Contains("not a base64 WireGuard key"));
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/cloud" && d.Message.Contains("edge2 unreachable"));
    }

    private static DomainView View(string name, bool underNat, int publicPort = 0, bool exposed = false) =>
        new(name, exposed, new TunnelEndpointView(name + "-gw", Ip("203.0.113.1"), 4500, underNat, publicPort, null, KeyConfig(name)),
            ValueList<DomainNode>.Empty, ValueList<Cidr>.Empty);
}
