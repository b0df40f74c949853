using System.Net;
using Raven.Agent.Nat;
using Raven.Agent.Nat.Wiring;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Nat;

public sealed class NatRoleTests
{
    [Fact]
    public void The_exposed_gateways_active_endpoint_serves_stun_advertising_its_public_address()
    {
        NatRole.For(CloudAndTwoNatedEdges(), "cloud-gw").Should().Be(new NatRole.Responder(IPAddress.Parse("203.0.113.10")));
    }

    [Fact]
    public void A_nated_active_endpoint_asks_the_exposed_gateway_with_what_its_spec_endpoint_says()
    {
        var gateways = WithSpec(CloudAndTwoNatedEdges());
        var spec = gateways[1].Spec.Endpoints![0];
        spec.PublicPort = 31000;
        spec.NATType = UpstreamNatType.FullCone;

        NatRole.For(gateways, "edge1-gw").Should().Be(new NatRole.Discover("edge1", new IPEndPoint(IPAddress.Parse("203.0.113.10"), 3478),
            new NatEndpointFields("198.51.100.20", 31000, UpstreamNatType.FullCone)));
    }

    [Theory]
    [InlineData("cloud-w1", "not an active tunnel endpoint")]
    [InlineData("edge1-w1", "not an active tunnel endpoint")]
    [InlineData("elsewhere", "in no gateway")]
    public void Members_and_strangers_do_nothing(string node, string why)
    {
        NatRole.For(CloudAndTwoNatedEdges(), node).Should().BeOfType<NatRole.None>().Which.Why.Should().Contain(why);
    }

    [Fact]
    public void A_public_port_set_by_hand_is_an_operators_port_forward_and_is_left_alone()
    {
        var gateways = WithSpec(CloudAndTwoNatedEdges());
        gateways[1].Spec.Endpoints![0].PublicPort = 31000;

        NatRole.For(gateways, "edge1-gw").Should().BeOfType<NatRole.None>().Which.Why.Should().Contain("port forward");
    }

    [Fact]
    public void A_public_gateway_that_is_not_exposed_neither_serves_nor_asks()
    {
        var gateways = CloudAndTwoNatedEdges(secondEdgeDialable: true);

        NatRole.For(gateways, "edge2-gw").Should().BeOfType<NatRole.None>();
    }

    [Fact]
    public void Without_an_exposed_public_gateway_an_edge_has_nobody_to_ask()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[0].Spec.ExposeType = null;

        NatRole.For(gateways, "edge1-gw").Should().BeOfType<NatRole.None>().Which.Why.Should().Contain("no exposed gateway");
    }

    [Fact]
    public void Every_edge_asks_the_lowest_named_exposed_gateway_as_the_relay_choice_does()
    {
        var second = Gateway("a-cloud", TunnelEndpoint("a-cloud-gw", "203.0.113.20"), Node("a-cloud-gw", "172.16.9.10", "10.250.0.0/24")).Exposed();
        Gateway[] gateways = [.. CloudAndTwoNatedEdges(), second];

        NatRole.For(gateways, "edge2-gw").Should().BeOfType<NatRole.Discover>().Which.Server.Address.Should().Be(IPAddress.Parse("203.0.113.20"));
    }

    /// <summary>The fixtures' Gateways carry only status; NAT discovery reads and writes the spec endpoint.</summary>
    private static Gateway[] WithSpec(Gateway[] gateways)
    {
        foreach (var gateway in gateways)
        {
            gateway.Spec.Endpoints = [.. (gateway.Status.ActiveEndpoints ?? []).Select(e => e.Clone())];
        }

        return gateways;
    }
}
