using Raven.Agent.Planning;
using Raven.Api.Net;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

/// <summary>
/// Tunnel Replicas 2: hangzhou's activeEndpoints list hz-1 (primary) then hz-2 (hot standby). The cloud gateway's
/// node address is its public one, so with forward-node-ip it is also a remote CIDR of hangzhou.
/// </summary>
public class StandbyPlanTests
{
    private static Gateway[] Cluster(Endpoint? secondStandby = null, bool clonedStandbyKey = false)
    {
        var standby = TunnelEndpoint("hz-2", "198.51.100.22");
        if (clonedStandbyKey)
        {
            standby.Config!["publicKey"] = KeyOf("hz-1");
        }

        var hangzhou = Gateway("hangzhou", TunnelEndpoint("hz-1", "198.51.100.21"),
            Node("hz-1", "192.168.1.11", "10.244.10.0/26"), Node("hz-2", "192.168.1.12", "10.244.10.64/26"),
            Node("hz-3", "192.168.1.13", "10.244.10.128/25"));
        hangzhou.Status.ActiveEndpoints!.Add(standby);
        if (secondStandby is not null)
        {
            hangzhou.Status.ActiveEndpoints.Add(secondStandby);
        }

        return
        [
            Gateway("cloud", TunnelEndpoint("cloud-gw", "203.0.113.10"), Node("cloud-gw", "203.0.113.10", "10.244.0.0/24")).Exposed(),
            hangzhou,
        ];
    }

    private static NetworkPlan PlanFor(string node, IReadOnlyDictionary<string, string>? serving = null, Gateway[]? gateways = null) =>
        new Planner().Plan(gateways ?? Cluster(), new LocalNode(node, null) { ServingGateways = serving ?? new Dictionary<string, string>() }, Options with { ForwardNodeIp = true });

    [Fact]
    public void A_remote_gateway_routes_to_the_primary_and_keeps_a_live_unrouted_peer_to_the_standby()
    {
        var plan = PlanFor("cloud-gw");

        var peers = plan.Tunnel!.Peers.Where(p => p.GatewayName == "hangzhou").ToList();
        peers.Select(p => (p.NodeName, p.Standby)).Should().Equal(("hz-1", false), ("hz-2", true));
        peers[0].KeepaliveSeconds.Should().BeNull("two public endpoints need no keepalive while traffic flows");
        peers[1].KeepaliveSeconds.Should().Be(5, "nothing else keeps a standby's handshake fresh");
        peers[1].Endpoint.Should().Be(new PeerEndpoint(Ip("198.51.100.22"), 4500));
        peers[1].RemoteCidrs.Should().Equal(peers[0].RemoteCidrs, "a backend that negotiates selectors needs them up front");
        plan.Routes.Where(r => r.Table == 9028).Select(r => r.Destination).Should().Contain(C("10.244.10.0/24"));
    }

    [Fact]
    public void The_standby_forwards_pod_traffic_via_the_primary_and_sends_its_nodes_own_traffic_through_its_own_tunnel()
    {
        var plan = PlanFor("hz-2");

        plan.Role.Should().Be(PlanRole.StandbyGateway);
        plan.Tunnel!.Peers.Should().ContainSingle().Which.Should().Match<TunnelPeer>(p => p.NodeName == "cloud-gw" && p.Standby && p.KeepaliveSeconds == 5);
        plan.Tunnel.Peers[0].Routed.Should().Equal(plan.Tunnel.Peers[0].RemoteCidrs, "it accepts whatever the cloud may send it");
        plan.Rules.Should().NotContain(r => r.Table == 9028 && r.Source == null, "no table-9028 lookup for forwarded traffic");
        plan.Rules.Should().ContainSingle(r => r.Table == 9028).Which.Should().Be(
            new PolicyRule(99, 9028, null, null) { Source = C("192.168.1.12/32") }, "the node's own address leaves through its own tunnel");
        plan.Routes.Where(r => r.Table == 9027).Should().NotBeEmpty().And.OnlyContain(r => r.Gateway!.Equals(OverlayAddressing.AddressFor(Ip("192.168.1.11"))));
        plan.Routes.Where(r => r.Table == 9028).Select(r => (r.Destination, r.Device, r.Source)).Should().Equal((C("10.244.0.0/24"), "raven-wg0", Ip("192.168.1.12")));
    }

    [Fact]
    public void The_serving_endpoint_of_a_domain_with_standbys_sends_its_own_traffic_from_its_node_address()
    {
        PlanFor("hz-1").Routes.Where(r => r.Table == 9028).Should().NotBeEmpty().And.OnlyContain(r => Ip("192.168.1.11").Equals(r.Source),
            "remote gateways bind only hz-1's node address to hz-1 for sure; a probe reply from a pod bridge's address could be dropped");
        PlanFor("cloud-gw").Routes.Where(r => r.Table == 9028).Should().OnlyContain(r => r.Source == null, "nobody else binds cloud's addresses per endpoint");
    }

    [Fact]
    public void Each_endpoints_node_address_stays_bound_to_its_own_peer_on_the_remote_gateway()
    {
        var before = PlanFor("cloud-gw").Tunnel!.Peers.Where(p => p.GatewayName == "hangzhou").ToList();
        var after = PlanFor("cloud-gw", new Dictionary<string, string> { ["hangzhou"] = "hz-2" }).Tunnel!.Peers.Where(p => p.GatewayName == "hangzhou").ToList();

        before.Single(p => p.NodeName == "hz-2").Routed.Should().Equal(C("192.168.1.12/32"));
        before.Single(p => p.NodeName == "hz-1").Routed.Should().Contain(C("10.244.10.0/24")).And.Contain(c => c.Contains(Ip("192.168.1.11")))
            .And.NotContain(c => c.Contains(Ip("192.168.1.12")));
        after.Single(p => p.NodeName == "hz-1").Routed.Should().Equal(C("192.168.1.11/32"));
        after.Single(p => p.NodeName == "hz-2").Routed.Should().Contain(C("10.244.10.0/24")).And.Contain(c => c.Contains(Ip("192.168.1.12")))
            .And.NotContain(c => c.Contains(Ip("192.168.1.11")));
    }

    [Fact]
    public void A_backend_without_routable_standby_pairs_keeps_the_standbys_own_traffic_on_the_primary()
    {
        var plan = new Planner().Plan(Cluster(), new LocalNode("hz-2", null),
            Options with { ForwardNodeIp = true, Tunnel = Raven.Agent.Tunnel.IPsec.IpsecProfile.Instance });

        plan.Role.Should().Be(PlanRole.StandbyGateway);
        plan.Rules.Should().NotContain(r => r.Table == 9028);
        plan.Routes.Should().OnlyContain(r => r.Table == 9027);
    }

    [Fact]
    public void The_standby_never_sends_its_own_tunnel_packets_to_the_primary()
    {
        var standby = PlanFor("hz-2");
        var member = PlanFor("hz-3");

        Marked(member).Should().Contain(C("203.0.113.10/32"), "with forward-node-ip a member reaches the cloud node's address through hz-1");
        Marked(standby).Should().NotContain(c => c.Contains(Ip("203.0.113.10")));
        standby.Routes.Should().NotContain(r => r.Destination.Contains(Ip("203.0.113.10")));
    }

    [Fact]
    public void Members_keep_raven0_neighbours_for_every_tunnel_endpoint_and_route_through_the_primary()
    {
        var plan = PlanFor("hz-3");

        plan.Role.Should().Be(PlanRole.DomainMember);
        plan.Vxlan!.Neighbors.Select(n => n.NodeName).Should().Equal("hz-1", "hz-2");
        plan.Routes.Should().OnlyContain(r => r.Gateway!.Equals(OverlayAddressing.AddressFor(Ip("192.168.1.11"))));
    }

    [Fact]
    public void A_probe_choice_of_the_standby_moves_routes_and_peer_bindings_only()
    {
        var serving = new Dictionary<string, string> { ["hangzhou"] = "hz-2" };

        var cloud = PlanFor("cloud-gw", serving);
        var member = PlanFor("hz-3", serving);
        var before = PlanFor("cloud-gw");

        cloud.Tunnel!.Peers.Where(p => p.GatewayName == "hangzhou").Select(p => (p.NodeName, p.Standby)).Should().Equal(("hz-2", false), ("hz-1", true));
        cloud.Routes.Should().Equal(before.Routes, "table 9028 routes point at the device, not at a peer");
        member.Routes.Should().OnlyContain(r => r.Gateway!.Equals(OverlayAddressing.AddressFor(Ip("192.168.1.12"))));
        member.Vxlan!.Neighbors.Should().Equal(PlanFor("hz-3").Vxlan!.Neighbors);
        PlanFor("hz-2", serving).Role.Should().Be(PlanRole.TunnelGateway);
        PlanFor("hz-1", serving).Role.Should().Be(PlanRole.StandbyGateway);
    }

    [Fact]
    public void A_choice_naming_a_node_that_is_not_an_active_tunnel_endpoint_is_ignored()
    {
        var plan = PlanFor("hz-3", new Dictionary<string, string> { ["hangzhou"] = "hz-3" });

        plan.Should().Be(PlanFor("hz-3"));
    }

    [Fact]
    public void A_standby_publishing_another_endpoints_key_is_not_kept_ready_and_the_primary_still_serves()
    {
        var plan = PlanFor("cloud-gw", gateways: Cluster(clonedStandbyKey: true));

        plan.Tunnel!.Peers.Where(p => p.GatewayName == "hangzhou").Select(p => p.NodeName).Should().Equal("hz-1");
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/hangzhou" && d.Message.Contains("standby tunnel endpoint hz-2"));
    }

    [Fact]
    public void A_standby_without_a_usable_key_is_left_out()
    {
        var plan = PlanFor("cloud-gw", gateways: Cluster(secondStandby: TunnelEndpoint("hz-3", "198.51.100.23", withKey: false)));

        plan.Tunnel!.Peers.Where(p => p.GatewayName == "hangzhou").Select(p => p.NodeName).Should().Equal("hz-1", "hz-2");
    }

    private static IEnumerable<Cidr> Marked(NetworkPlan plan) => plan.IpSets.Single(s => s.Name == "raven-mark-set").Entries.Select(e => e.First);
}
