using Raven.Agent.Planning;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Tunnel;

/// <summary>
/// Issue 15 under the VXLAN cable, without root: edge-a has two tunnel endpoints behind one NAT (198.51.100.2, told
/// apart only by their forwarded ports 44741/44742), a-gw the primary and a-w the hot standby. A remote gateway keeps
/// an FDB entry and a neighbour for both; the standby's node /32 goes through its own hop, so its probes prove its
/// own cable; a take-over re-points only routes and the serving hop's neighbour.
/// </summary>
public sealed class VxlanStandbyTests
{
    private static readonly PlannerOptions Cable = new()
    {
        Tunnel = VxlanCableProfile.Instance,
        TunnelDevice = VxlanCableProfile.DeviceName,
        ForwardNodeIp = true,
        AllowUntrustedUnderlay = true,
    };

    private static Gateway[] Cluster()
    {
        var edge = Gateway("edge-a", TunnelEndpoint("a-gw", "198.51.100.2", underNat: true, publicPort: 44741, withKey: false),
            Node("a-gw", "172.16.1.10", "10.245.0.0/24"), Node("a-w", "172.16.1.11", "10.245.1.0/24"));
        edge.Status.ActiveEndpoints!.Add(TunnelEndpoint("a-w", "198.51.100.2", underNat: true, publicPort: 44742, withKey: false));
        return
        [
            Gateway("cloud", TunnelEndpoint("cloud-gw", "203.0.113.10", withKey: false), Node("cloud-gw", "172.16.0.10", "10.244.0.0/24")).Exposed(),
            edge,
        ];
    }

    private static NetworkPlan PlanFor(string node, string? edgeServedBy = null) => new Planner().Plan(Cluster(),
        new LocalNode(node, null)
        {
            ServingGateways = edgeServedBy is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["edge-a"] = edgeServedBy },
        }, Cable);

    private static IEnumerable<string> CableRoutes(NetworkPlan plan) => plan.Routes.Where(r => r.Table == KernelNames.WireGuardRouteTable)
        .Select(r => $"{r.Destination} via {r.Gateway} dev {r.Device}{(r.OnLink ? " onlink" : "")}{(r.Source is { } src ? $" src {src}" : "")}");

    [Fact]
    public void The_cable_routes_standby_pairs()
    {
        VxlanCableProfile.Instance.RoutesStandbyPairs.Should().BeTrue();
    }

    [Fact]
    public void A_remote_gateway_keeps_both_endpoints_on_the_cable_and_routes_the_standbys_node_address_through_its_own_hop()
    {
        var plan = PlanFor("cloud-gw");

        CableRoutes(plan).Should().BeEquivalentTo(
            "10.245.0.0/23 via 198.51.100.2 dev raven-cable0 onlink",
            "172.16.1.10/32 via 198.51.100.2 dev raven-cable0 onlink",
            "172.16.1.11/32 via 172.16.1.11 dev raven-cable0 onlink");
        var design = CableDesign.From(plan.Tunnel!, "cloud-gw");
        design.Skipped.Should().BeEmpty("two endpoints behind one NAT differ in their forwarded ports");
        design.Neighbors(7).Select(n => $"{n.Destination} {n.Mac}").Should().BeEquivalentTo(
            $"198.51.100.2 {CableMac.For("a-gw")}", $"172.16.1.11 {CableMac.For("a-w")}");
        design.Fdb(7).Select(n => $"{n.Mac} {n.Destination}:{n.Port}").Should().BeEquivalentTo(
            $"{CableMac.For("a-gw")} 198.51.100.2:44741", $"{CableMac.For("a-w")} 198.51.100.2:44742");
    }

    [Fact]
    public void Taking_over_rebinds_the_serving_hop_and_the_node_routes_and_leaves_the_fdb_as_it_was()
    {
        var before = PlanFor("cloud-gw");
        var after = PlanFor("cloud-gw", edgeServedBy: "a-w");

        CableRoutes(after).Should().BeEquivalentTo(
            "10.245.0.0/23 via 198.51.100.2 dev raven-cable0 onlink",
            "172.16.1.11/32 via 198.51.100.2 dev raven-cable0 onlink",
            "172.16.1.10/32 via 172.16.1.10 dev raven-cable0 onlink");
        var (was, now) = (CableDesign.From(before.Tunnel!, "cloud-gw"), CableDesign.From(after.Tunnel!, "cloud-gw"));
        now.Fdb(7).Should().BeEquivalentTo(was.Fdb(7), "both endpoints' forwarding entries were there before the take-over");
        now.Neighbors(7).Select(n => $"{n.Destination} {n.Mac}").Should().BeEquivalentTo(
            $"198.51.100.2 {CableMac.For("a-w")}", $"172.16.1.10 {CableMac.For("a-gw")}");
    }

    [Fact]
    public void The_standby_sends_its_nodes_own_traffic_over_its_own_cable_from_its_node_address()
    {
        var plan = PlanFor("a-w");

        plan.Role.Should().Be(PlanRole.StandbyGateway);
        plan.Rules.Should().ContainSingle(r => r.Table == KernelNames.WireGuardRouteTable).Which.Source.Should().Be(C("172.16.1.11/32"));
        CableRoutes(plan).Should().BeEquivalentTo(
            "10.244.0.0/24 via 203.0.113.10 dev raven-cable0 onlink src 172.16.1.11",
            "172.16.0.10/32 via 203.0.113.10 dev raven-cable0 onlink src 172.16.1.11");
        var design = CableDesign.From(plan.Tunnel!, "a-w");
        design.Peers.Should().ContainSingle().Which.Should().Match<CablePeer>(p => p.NodeName == "cloud-gw" && p.Port == null);
    }

    [Fact]
    public void The_serving_endpoint_sends_its_own_traffic_from_its_node_address()
    {
        CableRoutes(PlanFor("a-gw")).Should().NotBeEmpty().And.OnlyContain(r => r.EndsWith(" src 172.16.1.10", StringComparison.Ordinal),
            "the cloud binds a-gw's node address to a-gw's hop, a pod bridge's address to the serving hop only");
    }

    [Fact]
    public void Two_peers_naming_the_same_next_hop_keep_the_first_and_skip_the_other_with_a_reason()
    {
        var plan = PlanFor("cloud-gw").Tunnel!;
        var standby = plan.Peers.Single(p => p.RemoteStandby);
        var clash = plan with { Peers = plan.Peers.Append(standby with { GatewayName = "edge-z", NodeName = "z-w", Endpoint = new(Ip("198.51.100.9"), 44745) }).ToValueList() };

        var design = CableDesign.From(clash, "cloud-gw");

        design.Skipped.Should().ContainSingle().Which.Reason.Should().Contain("next hop 172.16.1.11 is also gateway edge-a's");
    }
}
