using Raven.Agent.Health.Wiring;
using Raven.Agent.Planning;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Health;

public class HealthTargetsTests
{
    private static Raven.Api.V1Beta1.Gateway[] Cluster()
    {
        var hangzhou = Gateway("hangzhou", TunnelEndpoint("hz-1", "198.51.100.21"),
            Node("hz-1", "192.168.1.11", "10.244.10.0/26"), Node("hz-2", "192.168.1.12", "10.244.10.64/26"), Node("hz-3", "192.168.1.13", "10.244.10.128/25"));
        hangzhou.Status.ActiveEndpoints!.Add(TunnelEndpoint("hz-2", "198.51.100.22"));
        return [Gateway("cloud", TunnelEndpoint("cloud-gw", "203.0.113.10"), Node("cloud-gw", "172.16.0.10", "10.244.0.0/24")).Exposed(), hangzhou];
    }

    private static NetworkPlan PlanFor(string node, bool forwardNodeIp) =>
        new Planner().Plan(Cluster(), new LocalNode(node, null), Options with { ForwardNodeIp = forwardNodeIp });

    [Fact]
    public void A_member_probes_its_domains_tunnel_endpoints_over_the_lan_only()
    {
        var targets = HealthTargets.For(HealthView.From(Cluster(), "hz-3"), PlanFor("hz-3", true));

        targets.Select(t => (t.Name, t.Destination.ToString(), t.Device)).Should().Equal(
            ("lan/hz-1", "192.168.1.11:4473", null), ("lan/hz-2", "192.168.1.12:4473", null));
    }

    [Fact]
    public void A_tunnel_endpoint_also_probes_every_remote_endpoint_through_its_tunnel_device()
    {
        var targets = HealthTargets.For(HealthView.From(Cluster(), "cloud-gw"), PlanFor("cloud-gw", true));

        targets.Select(t => (t.Name, t.Destination.ToString(), t.Device)).Should().Equal(
            ("tunnel/hangzhou/hz-1", "192.168.1.11:4473", "raven-wg0"), ("tunnel/hangzhou/hz-2", "192.168.1.12:4473", "raven-wg0"));
        HealthTargets.For(HealthView.From(Cluster(), "hz-2"), PlanFor("hz-2", true)).Select(t => t.Name)
            .Should().Equal("lan/hz-1", "tunnel/cloud/cloud-gw");
    }

    [Fact]
    public void Tunnel_probes_leave_from_the_nodes_own_address_which_remote_gateways_bind_to_its_own_peer()
    {
        HealthTargets.For(HealthView.From(Cluster(), "hz-2"), PlanFor("hz-2", true)).Select(t => (t.Name, t.Source?.ToString()))
            .Should().Equal(("lan/hz-1", null), ("tunnel/cloud/cloud-gw", "192.168.1.12"));
    }

    [Fact]
    public void Without_forward_node_ip_the_tunnel_does_not_carry_node_addresses_so_they_are_not_probed_through_it()
    {
        HealthTargets.For(HealthView.From(Cluster(), "cloud-gw"), PlanFor("cloud-gw", false)).Should().BeEmpty();
    }
}
