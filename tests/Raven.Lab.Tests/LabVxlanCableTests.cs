using Raven.Api;
using Raven.Lab.Run;
using Raven.Lab.Topology;

namespace Raven.Lab.Tests;

/// <summary>`raven lab up --vpn-driver vxlan`: what the lab changes so the unencrypted cable crosses its NATs (pure parts).</summary>
public sealed class LabVxlanCableTests
{
    private readonly LabTopology seed = LabTopology.Seed();

    [Fact]
    public void Every_edge_gateway_node_gets_its_own_forwarded_port_and_publishes_it()
    {
        var gateways = LabVxlanCable.Published(seed, LabCluster.Gateways(seed));

        var tunnels = gateways.SelectMany(g => g.Spec.Endpoints!).Where(e => e.Type == WellKnown.EndpointTypeTunnel)
            .ToDictionary(e => e.NodeName, e => (e.PublicIP, e.PublicPort));
        tunnels["hz-1"].Should().Be(("198.51.100.11", 44741));
        tunnels["hz-2"].Should().Be(("198.51.100.11", 44742), "a failover to hz-2 must not need the router re-pointed");
        tunnels["qd-1"].Should().Be(("198.51.100.12", 44741));
        tunnels["cloud-1"].Should().Be(("203.0.113.10", 0), "the cloud router's 1:1 NAT forwards every port already");
        tunnels.Keys.Should().NotContain(n => n.StartsWith("sz-", StringComparison.Ordinal), "shenzhen runs L7 only");
        gateways.SelectMany(g => g.Spec.Endpoints!).Where(e => e.Type == WellKnown.EndpointTypeProxy).Should().OnlyContain(e => e.PublicPort == 0);
    }

    [Fact]
    public void Each_edge_router_forwards_a_nodes_port_to_its_cable_ahead_of_the_drop_of_unsolicited_input()
    {
        var commands = LabVxlanCable.RouterCommands(seed).Select(c => c.ToString()).ToList();

        commands.Should().Contain("ip netns exec rvl-r-hz iptables -w -t nat -A PREROUTING -i wan0 -p udp --dport 44742 -j DNAT --to-destination 172.16.2.104:4474")
            .And.Contain("ip netns exec rvl-r-hz iptables -w -I FORWARD 1 -i wan0 -p udp -d 172.16.2.104 --dport 4474 -m conntrack --ctstate DNAT -j ACCEPT")
            .And.Contain("ip netns exec rvl-r-qd iptables -w -t nat -A PREROUTING -i wan0 -p udp --dport 44741 -j DNAT --to-destination 172.16.1.89:4474");
        commands.Should().HaveCount(8, "two rules for each of hz-1, hz-2, qd-1, qd-2").And.NotContain(c => c.Contains("rvl-r-cloud", StringComparison.Ordinal) || c.Contains("rvl-r-sz", StringComparison.Ordinal));
    }

    [Fact]
    public void The_allow_flag_goes_into_raven_agent_config_and_the_warning_says_unencrypted()
    {
        LabVxlanCable.AgentConfig.Should().Equal(new Dictionary<string, string> { ["vxlan-allow-untrusted-underlay"] = "true" });
        LabVxlanCable.Warning.Should().Contain("NOT ENCRYPTED");
    }

    [Fact]
    public void A_not_applicable_check_shows_na_never_pass()
    {
        var table = LabCheck.Table([new LabCheck("relayed", true, "why") { NotApplicable = true }, new LabCheck("direct", true, "ok")]);

        table.Should().MatchRegex(@"relayed\s+N/A\s").And.MatchRegex(@"direct\s+PASS\s");
    }
}
