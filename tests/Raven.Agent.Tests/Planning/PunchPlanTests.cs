using Raven.Agent.Nat;
using Raven.Agent.Planning;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

/// <summary>
/// Two edges behind port-restricted cones (both published publicIP/publicPort/natType): the serving endpoint keeps the
/// relay and adds a punched peer beside it; on trial that peer routes only the remote endpoint's /32; once the probes
/// chose it, it carries the domain. The central gateway keeps relaying the pair either way.
/// </summary>
public sealed class PunchPlanTests
{
    private static readonly PlannerOptions Forwarding = Options with { ForwardNodeIp = true };

    [Fact]
    public void Relayed_the_punched_peer_dials_the_published_endpoint_and_routes_nothing()
    {
        var plan = PlanAt("edge1-gw", PunchStage.Relayed);

        plan.Paths.Single(p => p.Gateway == "edge2").Should().Match<DomainPath>(p => p.Kind == PathKind.Relay && p.Via == "cloud" && p.Punch == PunchStage.Relayed);
        var punched = plan.Tunnel!.Peers.Single(p => p.GatewayName == "edge2");
        punched.Punched.Should().BeTrue();
        punched.Endpoint.Should().Be(new PeerEndpoint(Ip("198.51.100.30"), 4600));
        punched.KeepaliveSeconds.Should().Be(Options.PunchKeepaliveSeconds);
        punched.Routed.Should().BeEmpty();
        punched.Domains.Should().BeEmpty("it carries no domain yet");
        var relay = plan.Tunnel.Peers.Single(p => p.GatewayName == "cloud");
        relay.Domains.Should().Equal("cloud", "edge2");
        relay.Routed.Should().BeNull("the relay carries everything of edge2");
    }

    [Fact]
    public void With_hole_punching_off_the_pair_is_relayed_and_no_punched_peer_exists()
    {
        var plan = new Planner().Plan(Edges(), new LocalNode("edge1-gw", null) { PunchedPaths = Stage("edge2", PunchStage.Direct) },
            Forwarding with { HolePunching = false });

        plan.Tunnel!.Peers.Should().NotContain(p => p.GatewayName == "edge2");
        plan.Paths.Single(p => p.Gateway == "edge2").Should().Match<DomainPath>(p => p.Kind == PathKind.Relay && p.Via == "cloud");
    }

    [Fact]
    public void On_trial_the_remote_endpoints_own_address_moves_to_the_punched_peer_and_the_rest_stays_relayed()
    {
        var plan = PlanAt("edge1-gw", PunchStage.Trial);

        var punched = plan.Tunnel!.Peers.Single(p => p.GatewayName == "edge2");
        punched.Routed!.Select(c => c.ToString()).Should().Equal("192.168.2.10/32");
        var relay = plan.Tunnel.Peers.Single(p => p.GatewayName == "cloud");
        Covers(relay.Routed!, "192.168.2.10").Should().BeFalse("edge2's endpoint address is bound to the punched peer");
        Covers(relay.Routed!, "10.244.20.5").Should().BeTrue();
        Covers(relay.Routed!, "192.168.2.11").Should().BeTrue();
        plan.Paths.Single(p => p.Gateway == "edge2").Kind.Should().Be(PathKind.Relay);
    }

    [Fact]
    public void Chosen_the_punched_peer_carries_the_domain_and_the_relay_only_the_cloud()
    {
        var plan = PlanAt("edge1-gw", PunchStage.Direct);

        plan.Paths.Single(p => p.Gateway == "edge2").Should().Match<DomainPath>(p => p.Kind == PathKind.Direct && p.Via == "edge2" && p.Punch == PunchStage.Direct);
        var punched = plan.Tunnel!.Peers.Single(p => p.GatewayName == "edge2");
        punched.Punched.Should().BeTrue();
        punched.Endpoint.Should().Be(new PeerEndpoint(Ip("198.51.100.30"), 4600));
        punched.Domains.Should().Equal("edge2");
        punched.Routed.Should().BeNull();
        Covers(punched.RemoteCidrs, "10.244.20.5").Should().BeTrue();
        Covers(punched.RemoteCidrs, "192.168.2.10").Should().BeTrue();
        plan.Tunnel.Peers.Single(p => p.GatewayName == "cloud").Domains.Should().Equal("cloud");
    }

    [Theory]
    [InlineData(PunchStage.Relayed)]
    [InlineData(PunchStage.Trial)]
    [InlineData(PunchStage.Direct)]
    public void The_central_gateway_relays_the_pair_whatever_the_edges_chose(PunchStage stage)
    {
        var cloud = new Planner().Plan(Edges(), new LocalNode("cloud-gw", null) { PunchedPaths = Stage("edge2", stage) }, Forwarding);

        cloud.IpSets.Single(s => s.Name == "raven-skip-nat-set").Entries
            .Any(e => e.First.Contains(Ip("10.244.10.5")) && e.Second is { } second && second.Contains(Ip("10.244.20.5")))
            .Should().BeTrue("edge1 to edge2 is relayed");
        cloud.Tunnel!.Peers.Should().NotContain(p => p.Punched);
    }

    [Fact]
    public void A_member_routes_the_same_cidrs_to_its_gateway_whatever_the_path()
    {
        var relayed = new Planner().Plan(Edges(), new LocalNode("edge1-w1", null), Forwarding);
        var direct = new Planner().Plan(Edges(), new LocalNode("edge1-w1", null) { PunchedPaths = Stage("edge2", PunchStage.Direct) }, Forwarding);

        direct.Routes.Should().Equal(relayed.Routes);
        direct.Tunnel.Should().BeNull();
    }

    [Fact]
    public void A_symmetric_edge_with_a_port_restricted_one_gets_no_punched_peer()
    {
        var gateways = Edges();
        var second = gateways[2].Status.ActiveEndpoints![0];
        second.NATType = UpstreamNatType.Symmetric;
        second.PublicPort = 0;

        var plan = new Planner().Plan(gateways, new LocalNode("edge1-gw", null) { PunchedPaths = Stage("edge2", PunchStage.Direct) }, Forwarding);

        plan.Tunnel!.Peers.Select(p => p.GatewayName).Should().Equal("cloud");
        plan.Paths.Single(p => p.Gateway == "edge2").Should().Match<DomainPath>(p => p.Kind == PathKind.Relay && p.Punch == null);
    }

    [Fact]
    public void A_backend_that_cannot_punch_keeps_the_pair_relayed()
    {
        var options = Forwarding with { Tunnel = Raven.Agent.Tunnel.IPsec.IpsecProfile.Instance };
        var gateways = Edges();
        foreach (var gateway in gateways)
        {
            gateway.Status.ActiveEndpoints![0].Config!["publicKey"] = "unused";
        }

        var plan = new Planner().Plan(gateways, new LocalNode("edge1-gw", null) { PunchedPaths = Stage("edge2", PunchStage.Direct) }, options);

        plan.Paths.Single(p => p.Gateway == "edge2").Should().Match<DomainPath>(p => p.Kind == PathKind.Relay && p.Punch == null);
        plan.Tunnel!.Peers.Should().NotContain(p => p.Punched);
    }

    [Fact]
    public void A_standby_endpoint_does_not_punch()
    {
        var gateways = Edges();
        gateways[1].Status.ActiveEndpoints!.Add(Standby("edge1-w1", "198.51.100.20"));

        var plan = new Planner().Plan(gateways, new LocalNode("edge1-w1", null) { PunchedPaths = Stage("edge2", PunchStage.Direct) }, Forwarding);

        plan.Role.Should().Be(PlanRole.StandbyGateway);
        plan.Tunnel?.Peers.Should().NotContain(p => p.Punched);
    }

    private static bool Covers(IEnumerable<Raven.Api.Net.Cidr> cidrs, string address) => cidrs.Any(c => c.Contains(Ip(address)));

    private static NetworkPlan PlanAt(string node, PunchStage stage) =>
        new Planner().Plan(Edges(), new LocalNode(node, null) { PunchedPaths = Stage("edge2", stage) }, Forwarding);

    private static Dictionary<string, PunchStage> Stage(string domain, PunchStage stage) => new(StringComparer.Ordinal) { [domain] = stage };

    /// <summary>The fixture's cloud and two edges, both behind port-restricted cones as NAT discovery publishes them.</summary>
    private static Gateway[] Edges()
    {
        var gateways = CloudAndTwoNatedEdges();
        foreach (var (gateway, port) in new[] { (gateways[1], 4500), (gateways[2], 4600) })
        {
            var endpoint = gateway.Status.ActiveEndpoints![0];
            endpoint.PublicPort = port;
            endpoint.NATType = UpstreamNatType.PortRestrictedCone;
        }

        return gateways;
    }

    private static Endpoint Standby(string node, string publicIp)
    {
        var endpoint = TunnelEndpoint(node, publicIp, underNat: true, publicPort: 4700);
        endpoint.NATType = UpstreamNatType.PortRestrictedCone;
        return endpoint;
    }
}
