using System.Net;
using Raven.Agent.Linux.Processes;
using Raven.Lab.Build;
using Raven.Lab.Shell;
using Raven.Lab.Topology;

namespace Raven.Lab.Tests;

public sealed class LabBuildPlanTests
{
    private const string Prefix = "rvt-lab-";
    private readonly LabTopology seed = LabTopology.Seed(Prefix);
    private readonly IReadOnlyList<LabStage> plan;

    public LabBuildPlanTests() => plan = LabBuildPlan.Create(seed);

    private IEnumerable<CommandLine> Commands => plan.SelectMany(s => s.Jobs).SelectMany(j => j.Commands);

    private IEnumerable<(string Namespace, string Line)> BatchLines =>
        Commands.Where(c => c.Arguments is ["-n", _, "-batch", "-"])
            .SelectMany(c => c.StandardInput!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (c.Arguments[1], l)));

    [Fact]
    public void Stages_create_namespaces_then_links_then_addresses()
    {
        plan.Select(s => s.Name).Should().Equal("namespaces", "links", "addresses");
        plan[0].Jobs.Select(j => j.Commands[0].ToString()).Should().BeEquivalentTo(seed.Namespaces.Select(n => "ip netns add " + n));
    }

    [Fact]
    public void Every_command_targets_a_lab_namespace()
    {
        Commands.Should().OnlyContain(c => c.Program == "ip");
        Commands.Should().OnlyContain(c =>
            (c.Arguments[0] == "-n" && seed.Namespaces.Contains(c.Arguments[1])) ||
            (c.Arguments[0] == "netns" && (c.Arguments[1] == "add" || c.Arguments[1] == "exec") && seed.Namespaces.Contains(c.Arguments[2])));
    }

    [Fact]
    public void Every_veth_is_born_with_both_ends_in_lab_namespaces()
    {
        var veths = BatchLines.Where(l => l.Line.Contains("type veth", StringComparison.Ordinal)).ToList();

        veths.Should().HaveCount(4 + 8 + 8);
        var peers = veths.Select(v => v.Line.Split(' ').TakeLast(2).ToArray()).ToList();
        peers.Should().OnlyContain(p => p[0] == "netns" && seed.Namespaces.Contains(p[1]));
    }

    [Fact]
    public void Default_routes_only_point_at_lab_routers_and_the_internet_core_has_none()
    {
        var labGateways = seed.Domains.Select(d => d.Router.LanAddress)
            .Concat(seed.Internet.Subnets.Select(s => s.CoreAddress))
            .Concat(seed.Nodes.Select(n => n.PodGatewayAddress))
            .Select(a => a.ToString())
            .ToHashSet();
        var routes = BatchLines.Where(l => l.Line.StartsWith("route add", StringComparison.Ordinal)).ToList();

        routes.Where(r => r.Line.StartsWith("route add default", StringComparison.Ordinal)).Should()
            .HaveCount(4 + 8 + 8).And.OnlyContain(r => labGateways.Contains(r.Line.Split(' ', StringSplitOptions.None)[4]));
        routes.Where(r => r.Namespace == seed.Names.Internet).Select(r => r.Line).Should()
            .Equal("route add 203.0.113.10/32 via 203.0.113.2 dev br-inet");
    }

    [Fact]
    public void Bridges_exist_only_inside_lab_namespaces()
    {
        BatchLines.Where(l => l.Line.Contains("type bridge", StringComparison.Ordinal)).Select(l => l.Namespace).Should()
            .BeEquivalentTo([seed.Names.Internet, .. seed.Domains.Select(seed.Names.Router), .. seed.Nodes.Select(seed.Names.Node)]);
    }

    [Fact]
    public void Routers_and_nodes_forward_and_pods_do_not()
    {
        var forwarding = Commands.Where(c => c.Arguments.Contains("net.ipv4.ip_forward=1")).Select(c => c.Arguments[2]).ToList();

        forwarding.Should().BeEquivalentTo([seed.Names.Internet, .. seed.Domains.Select(seed.Names.Router), .. seed.Nodes.Select(seed.Names.Node)]);
    }

    [Fact]
    public void Each_node_carries_its_LAN_address_and_pod_gateway()
    {
        var lines = BatchLines.Where(l => l.Namespace == "rvt-lab-hz-1").Select(l => l.Line).ToList();

        lines.Should().Contain(["addr add 172.16.2.103/24 dev eth0", "route add default via 172.16.2.1 dev eth0", "addr add 10.244.18.1/24 dev cni0"]);
        BatchLines.Where(l => l.Namespace == "rvt-lab-p-hz-1").Select(l => l.Line).Should()
            .Contain(["addr add 10.244.18.2/24 dev eth0", "route add default via 10.244.18.1 dev eth0"]);
    }

    [Fact]
    public void Every_router_gets_its_rules_through_iptables_restore()
    {
        var restores = Commands.Where(c => c.Arguments.Contains("iptables-restore")).ToList();

        restores.Select(c => c.Arguments[2]).Should().BeEquivalentTo(seed.Domains.Select(seed.Names.Router));
        restores.Should().OnlyContain(c => c.StandardInput!.Contains("MASQUERADE", StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_topology_is_refused_before_any_command()
    {
        var cloud = seed.Domain("cloud");
        var broken = seed with { Domains = [cloud with { Router = cloud.Router with { WanAddress = IPAddress.Parse("1.2.3.4") } }] };

        var act = () => LabBuildPlan.Create(broken);

        act.Should().Throw<ArgumentException>().WithMessage("*1.2.3.4*");
    }
}
