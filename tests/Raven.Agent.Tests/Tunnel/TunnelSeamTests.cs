using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.WireGuard;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Tunnel;

/// <summary>The registry behind --vpn-driver and the planner's backend-neutral tunnel part.</summary>
public sealed class TunnelSeamTests
{
    [Theory]
    [InlineData("wireguard")]
    [InlineData("WireGuard")]
    [InlineData(" wireguard ")]
    public void Wireguard_is_registered_under_its_name(string value) =>
        TunnelBackends.Find(value)!.Profile.Should().BeSameAs(WireGuardProfile.Instance);

    [Theory]
    [InlineData("ipsec")]
    [InlineData("IPsec")]
    [InlineData("libreswan")]
    public void Ipsec_is_registered_with_upstreams_libreswan_as_an_alias_and_needs_the_psk(string value)
    {
        var registration = TunnelBackends.Find(value)!;

        registration.Name.Should().Be("ipsec");
        registration.Profile.Should().BeSameAs(Raven.Agent.Tunnel.IPsec.IpsecProfile.Instance);
        registration.RequiresPresharedKey.Should().BeTrue();
        TunnelBackends.Find("wireguard")!.RequiresPresharedKey.Should().BeFalse();
    }

    [Theory]
    [InlineData("openvpn", "not a VPN driver")]
    public void An_unregistered_driver_is_an_error_naming_the_value_and_the_known_drivers(string value, string why)
    {
        TunnelBackends.Find(value).Should().BeNull();
        var get = () => TunnelBackends.Get(value);

        get.Should().Throw<ArgumentException>().Which.Message.Should().Contain($"\"{value}\"").And.Contain(why)
            .And.Contain("known drivers: wireguard").And.Contain("ipsec, libreswan (= ipsec)");
    }

    [Fact]
    public void The_tunnel_mtu_comes_from_the_backends_overhead()
    {
        var plan = Plan("cloud-gw", Options with { Tunnel = new FixedOverhead(100) }, CloudAndTwoNatedEdges());

        plan.Tunnel!.Mtu.Should().Be(1400);
        plan.Tunnel.Backend.Should().Be("fixed");
        plan.Mtu!.RouteMtu.Should().Be(1400);
    }

    [Fact]
    public void A_relay_peer_carries_the_other_relayed_domains_as_local_cidrs()
    {
        var central = Plan("cloud-gw", CloudAndTwoNatedEdges());
        var edge = Plan("edge1-gw", CloudAndTwoNatedEdges());

        central.Tunnel!.Peers.Should().OnlyContain(p => p.Relay == RelayRole.RelayedByUs);
        central.Tunnel.Peers.Single(p => p.GatewayName == "edge1").LocalCidrs.Select(c => c.ToString())
            .Should().Equal("10.244.0.0/23", "10.244.20.0/23");
        var viaCloud = edge.Tunnel!.Peers.Should().ContainSingle().Subject;
        viaCloud.Relay.Should().Be(RelayRole.RelaysForUs);
        viaCloud.NodeName.Should().Be("cloud-gw");
        viaCloud.Domains.Should().Equal("cloud", "edge2");
        viaCloud.Config[WireGuardProfile.PublicKeyConfigKey].Should().Be(KeyOf("cloud-gw"));
    }

    [Fact]
    public void Two_remote_gateways_with_one_key_are_both_skipped_and_the_rest_is_planned()
    {
        var gateways = CloudAndTwoNatedEdges(secondEdgeDialable: true);
        gateways[2].Status.ActiveEndpoints![0].Config!["publicKey"] = KeyOf("edge1-gw");

        var plan = Plan("cloud-gw", gateways);

        plan.Tunnel!.Peers.Should().BeEmpty();
        plan.Diagnostics.Where(d => d.Kind == DiagnosticKind.SkippedPeer).Select(d => d.ToString()).Should().Equal(
            "gateway/edge1: publishes the same wireguard identity as gateway edge2 (a copied state directory?); skipped as a tunnel peer",
            "gateway/edge2: publishes the same wireguard identity as gateway edge1 (a copied state directory?); skipped as a tunnel peer");
        plan.Routes.Should().NotContain(r => r.Table == KernelNames.WireGuardRouteTable, "nothing is routed into a tunnel without peers");
        plan.Vxlan.Should().NotBeNull("the domain's own VXLAN is planned as usual");
    }

    [Fact]
    public void A_remote_gateway_with_the_local_gateways_key_is_skipped_and_the_others_stay()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[1].Status.ActiveEndpoints![0].Config!["publicKey"] = KeyOf("cloud-gw");

        var plan = Plan("cloud-gw", gateways);

        plan.Tunnel!.Peers.Select(p => p.GatewayName).Should().Equal("edge2");
        plan.Diagnostics.Should().Contain(d => d.Kind == DiagnosticKind.SkippedPeer && d.Subject == "gateway/edge1");
    }

    [Fact]
    public void A_malformed_key_skips_that_peer_as_a_skipped_peer()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[1].Status.ActiveEndpoints![0].Config!["publicKey"] = "not-a-key";

        var plan = Plan("cloud-gw", gateways);

        plan.Tunnel!.Peers.Select(p => p.GatewayName).Should().Equal("edge2");
        plan.SkippedPeers.Should().Be(1);
    }

    private sealed class FixedOverhead(int overhead) : ITunnelProfile
    {
        public string Name => "fixed";

        public int Overhead(bool ipv6Underlay) => overhead;

        public PeerConfigProblem? ProblemWith(EndpointConfig config) => null;

        public string? Identity(EndpointConfig config) => null;
    }
}
