using Raven.Agent.Planning;
using Raven.Api.Net;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

/// <summary>
/// Issue 10 item 1: the deployment that broke. gw-shenzhen reuses hangzhou's LAN and node IPs (172.16.2.103/.104);
/// every agent forwards node IPs.
/// </summary>
public class AddressClaimTests
{
    private static readonly PlannerOptions Forwarding = Options with { ForwardNodeIp = true };
    private static readonly Cidr HangzhouLan = C("172.16.2.0/24");

    private static Gateway Cloud() => Gateway("gw-cloud", TunnelEndpoint("cloud-1", "203.0.113.10"),
        Node("cloud-1", "192.168.0.195", "10.244.0.0/24"), Node("cloud-2", "192.168.0.196", "10.244.1.0/24")).Exposed();

    private static Gateway Hangzhou() => Gateway("gw-hangzhou", TunnelEndpoint("hz-1", "198.51.100.11", underNat: true),
        Node("hz-1", "172.16.2.103", "10.244.18.0/24"), Node("hz-2", "172.16.2.104", "10.244.19.0/24"));

    private static Gateway Qingdao() => Gateway("gw-qingdao", TunnelEndpoint("qd-1", "198.51.100.12", underNat: true),
        Node("qd-1", "172.16.1.89", "10.244.16.0/24"), Node("qd-2", "172.16.1.90", "10.244.17.0/24"));

    private static Gateway Shenzhen(bool withTunnel = true) => Gateway("gw-shenzhen",
        withTunnel ? TunnelEndpoint("sz-1", "198.51.100.13", underNat: true) : null,
        Node("sz-1", "172.16.2.103", "10.244.20.0/24"), Node("sz-2", "172.16.2.104", "10.244.21.0/24"));

    private static Gateway[] All() => [Cloud(), Hangzhou(), Qingdao(), Shenzhen()];

    private static NetworkPlan PlanFor(string node, PlannerOptions options, Gateway[] gateways, params string[] connected) =>
        new Planner().Plan(gateways, new LocalNode(node, null) { ConnectedPrefixes = [.. connected.Select(C)] }, options);

    /// <summary>Every prefix the plan would steer into raven0 or raven-wg0, or allow on a WireGuard peer.</summary>
    private static List<Cidr> Tunnelled(NetworkPlan plan) =>
    [
        .. plan.IpSets.Where(s => s.Name == "raven-mark-set").SelectMany(s => s.Entries).Select(e => e.First),
        .. plan.Routes.Where(r => r.Table == 9028).Select(r => r.Destination),
        .. plan.Tunnel?.Peers.SelectMany(p => p.RemoteCidrs) ?? [],
        .. plan.Paths.SelectMany(p => p.Cidrs),
    ];

    private static List<Cidr> RemoteOnlyRoutes(NetworkPlan plan, IEnumerable<Cidr> members) =>
        [.. plan.Routes.Where(r => r.Table == 9027 && !members.Any(m => m == r.Destination)).Select(r => r.Destination)];

    [Fact]
    public void A_member_never_marks_or_routes_its_own_nodes_whatever_a_colliding_domain_announces()
    {
        var plan = PlanFor("hz-2", Forwarding, All());

        plan.Role.Should().Be(PlanRole.DomainMember);
        Tunnelled(plan).Concat(plan.Routes.Select(r => r.Destination))
            .Should().NotContain(c => c.Overlaps(C("172.16.2.103/32")) || c.Overlaps(C("172.16.2.104/32")),
                "the gateway's own address in raven-mark-set sends the member's VXLAN packets back into raven0");
        plan.IpSets.Single().Entries.Select(e => e.First).Should().Contain([C("10.244.20.0/23"), C("172.16.1.89/32"), C("172.16.1.90/32")],
            "shenzhen's pods and qingdao's unique node IPs are still reachable");
        plan.Exclusions.Select(e => $"{e.Gateway}/{e.NodeName} {e.Announced}").Should().Equal(
            "gw-shenzhen/sz-1 172.16.2.103/32", "gw-shenzhen/sz-2 172.16.2.104/32");
        plan.Diagnostics.Where(d => d.Kind == DiagnosticKind.ExcludedAddress).Should().HaveCount(2)
            .And.Contain(d => d.Subject == "gateway/gw-shenzhen" && d.Message.Contains("172.16.2.103/32 (IP of node hz-1, local domain gw-hangzhou)"));
    }

    [Fact]
    public void The_gateway_keeps_its_own_domain_out_of_table_9028_allowed_ips_and_the_skip_nat_pairs()
    {
        var plan = PlanFor("hz-1", Forwarding, All());

        plan.Role.Should().Be(PlanRole.TunnelGateway);
        Tunnelled(plan).Should().NotContain(c => c.Overlaps(HangzhouLan));
        plan.IpSets.Single(s => s.Name == "raven-skip-nat-set").Entries
            .Should().NotContain(e => e.Second!.Value.Overlaps(HangzhouLan) && e.First.Overlaps(HangzhouLan),
                "a pair whose both ends are local is no cross-domain traffic");
        plan.Tunnel!.Peers.Single(p => p.GatewayName == "gw-cloud").RemoteCidrs
            .Should().Contain(C("10.244.20.0/23"), "the cloud relays shenzhen's pods, just not its node IPs");
    }

    [Fact]
    public void Own_pod_cidrs_announced_by_a_remote_domain_are_cut_out_and_the_rest_stays_routed()
    {
        var rogue = Gateway("gw-rogue", TunnelEndpoint("r-1", "198.51.100.14", underNat: true),
            Node("r-1", "10.9.0.1", "10.244.16.0/21"));

        var plan = PlanFor("hz-2", Options, [Cloud(), Hangzhou(), rogue]);

        var routed = plan.Paths.Single(p => p.Gateway == "gw-rogue").Cidrs.ToList();
        routed.Should().Equal(C("10.244.16.0/23"), C("10.244.20.0/22"));
        Tunnelled(plan).Concat(RemoteOnlyRoutes(plan, []))
            .Should().NotContain(c => c.Overlaps(C("10.244.18.0/24")) || c.Overlaps(C("10.244.19.0/24")));
        plan.Exclusions.Should().ContainSingle().Which.LeftOut.Should().Equal(C("10.244.18.0/23"));
        plan.Diagnostics.Should().Contain(d => d.Kind == DiagnosticKind.ExcludedAddress &&
            d.Message.Contains("subnet 10.244.16.0/21") && d.Message.Contains("10.244.18.0/23 left out of the tunnel, the rest routed"));
    }

    [Fact]
    public void An_address_in_a_connected_prefix_of_this_node_is_never_tunnelled()
    {
        // A remote node sits on an address of hangzhou's LAN that no hangzhou node uses (a printer's, say).
        var gateways = new[] { Cloud(), Hangzhou(), Gateway("gw-x", TunnelEndpoint("x-1", "198.51.100.15", underNat: true),
            Node("x-1", "172.16.2.50", "10.244.30.0/24")) };

        var knowsItsLan = PlanFor("hz-2", Forwarding, gateways, "172.16.2.0/24", "10.244.19.0/24");
        var knowsOnlyNodes = PlanFor("hz-2", Forwarding, gateways);

        Tunnelled(knowsItsLan).Should().NotContain(c => c.Overlaps(C("172.16.2.50/32")));
        knowsItsLan.Diagnostics.Should().Contain(d => d.Message.Contains("172.16.2.0/24 (connected prefix of this node)"));
        Tunnelled(knowsOnlyNodes).Should().Contain(C("172.16.2.50/32"), "only the connected prefix tells the planner this address is local");
    }

    [Fact]
    public void A_connected_prefix_spanning_the_domains_own_pods_does_not_make_remote_pods_local()
    {
        // A CNI bridge addressed from the whole cluster range (or a flat LAN the pods share) holds hangzhou's own pods.
        var plan = PlanFor("hz-2", Options, [Cloud(), Hangzhou()], "10.244.0.0/16", "172.16.2.0/24");

        plan.Paths.Single(p => p.Gateway == "gw-cloud").Cidrs.Should().Equal(C("10.244.0.0/23"));
        plan.Exclusions.Should().BeEmpty();
    }

    [Fact]
    public void A_third_domain_forwards_unique_node_ips_and_leaves_out_the_colliding_ones_of_both_domains()
    {
        var plan = PlanFor("cloud-2", Forwarding, All());

        var marked = plan.IpSets.Single().Entries.Select(e => e.First).ToList();
        marked.Should().Contain([C("172.16.1.89/32"), C("172.16.1.90/32")], "qingdao's node IPs are unique");
        marked.Should().Contain([C("10.244.16.0/22"), C("10.244.20.0/23")], "every domain's pods stay reachable");
        marked.Should().NotContain(c => c.Overlaps(HangzhouLan), "172.16.2.103/.104 belong to two domains: routed to neither");
        plan.Exclusions.Select(e => $"{e.Gateway}/{e.NodeName}").Should().Equal(
            "gw-hangzhou/hz-1", "gw-hangzhou/hz-2", "gw-shenzhen/sz-1", "gw-shenzhen/sz-2");
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/gw-hangzhou" &&
            d.Message.Contains("node IP 172.16.2.103/32 collides with 172.16.2.103/32 (IP of node sz-1, gateway gw-shenzhen)") &&
            d.Message.Contains("reach the node by name through L7"));
    }

    [Fact]
    public void A_domain_without_an_active_tunnel_endpoint_does_not_make_node_ips_ambiguous()
    {
        var plan = PlanFor("cloud-2", Forwarding, [Cloud(), Hangzhou(), Qingdao(), Shenzhen(withTunnel: false)]);

        plan.IpSets.Single().Entries.Select(e => e.First).Should().Contain([C("172.16.2.103/32"), C("172.16.2.104/32")],
            "shenzhen routes nothing at L3, so hangzhou's node IPs are unique among the routed domains");
        plan.Exclusions.Should().BeEmpty();
    }

    [Fact]
    public void Overlapping_pod_cidrs_of_two_remote_domains_are_routed_to_neither_and_reported()
    {
        var gateways = CloudAndTwoNatedEdges(secondEdgeDialable: true);
        gateways[2].Status.Nodes![1].Subnets.Add("10.244.0.128/25");

        var plan = Plan("edge1-gw", gateways);

        plan.Paths.Single(p => p.Gateway == "cloud").Cidrs.Should().Equal(C("10.244.0.0/25"), C("10.244.1.0/24"));
        plan.Paths.Single(p => p.Gateway == "edge2").Cidrs.Should().Equal(C("10.244.20.0/23"));
        plan.Routes.Where(r => r.Table == 9028).Should().NotContain(r => r.Destination.Overlaps(C("10.244.0.128/25")));
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/edge2" && d.Kind == DiagnosticKind.ExcludedAddress &&
            d.Message.Contains("10.244.0.0/24 (subnet of node cloud-gw, gateway cloud)") && d.Message.Contains("distinct pod CIDRs"));
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/cloud" && d.Message.Contains("10.244.0.128/25 left out"));
    }

    [Fact]
    public void Without_collisions_nothing_is_excluded_and_skipped_inputs_are_counted()
    {
        var broken = Gateway("broken", TunnelEndpoint("b-gw", "203.0.113.99"),
            Node("b-gw", "192.168.9.1", "10.244.90.0/24", "garbage"), Node("b-w1", "nope", "10.244.92.0/24"));

        var plan = Plan("cloud-gw", Forwarding, [.. CloudAndTwoNatedEdges(), broken]);

        plan.Exclusions.Should().BeEmpty();
        plan.SkippedInputs.Should().Be(2, "one bad subnet and one node without a usable privateIP");
        plan.Diagnostics.Where(d => d.Kind == DiagnosticKind.SkippedInput).Select(d => d.Message)
            .Should().Contain(m => m.Contains("\"garbage\"")).And.Contain(m => m.Contains("b-w1"));
    }
}
