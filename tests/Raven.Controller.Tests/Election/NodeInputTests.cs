using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;
using Raven.Controller.Runtime;
using k8s.Models;

namespace Raven.Controller.Tests.Election;

/// <summary>Issue 10 items 1 and 4: unusable node fields and addresses shared across gateways are reported, once.</summary>
public class NodeInputTests
{
    private static readonly FeatureSwitches Both = new(Tunnel: true, Proxy: true);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static V1Node KubeNode(string name, string? ip, string? podCidr = null, List<string>? podCidrs = null) => new()
    {
        Metadata = new() { Name = name, Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = "gw" } },
        Spec = new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = podCidrs },
        Status = new V1NodeStatus
        {
            Addresses = ip is null ? [new V1NodeAddress { Type = "Hostname", Address = name }] : [new V1NodeAddress { Type = "InternalIP", Address = ip }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    };

    private static NodeFacts Facts(V1Node node) => NodeFactsReader.Read(node, null, [], Now, null);

    private static NodeFacts Member(string name, string ip, params string[] podCidrs) => new(name, true, null, ip, podCidrs);

    private static Gateway Gateway(string name = "gw", params string[] tunnelNodes) => new()
    {
        Metadata = new() { Name = name, Generation = 1 },
        Spec = new GatewaySpec
        {
            TunnelConfig = new() { Replicas = 1 },
            Endpoints = [.. tunnelNodes.Select(n => new Endpoint { NodeName = n, Type = "tunnel", Port = 4500 })],
        },
    };

    [Fact]
    public void Unusable_fields_are_named_by_path_and_left_out_of_the_facts()
    {
        var badCidr = Facts(KubeNode("n-cidr", "172.16.2.105", "10.244.999.0/24"));
        var noIp = Facts(KubeNode("n-noip", null, "10.244.22.0/24"));
        var badIp = Facts(KubeNode("n-badip", "172.16.2.999", "10.244.23.0/24"));
        var mixed = Facts(KubeNode("n-mixed", "172.16.2.106", podCidrs: ["10.244.24.0/24", "fd00::/129", "10.244.25.7/24"]));

        badCidr.PodCidrs.Should().BeEmpty();
        badCidr.Problems.Should().ContainSingle().Which.Should().Match<NodeFieldProblem>(p => p.Field == "spec.podCIDR" && p.Message.Contains("10.244.999.0/24"));
        noIp.InternalIp.Should().BeEmpty();
        noIp.Problems.Should().ContainSingle().Which.Should().Be(new NodeFieldProblem("status.addresses", "no InternalIP address"));
        badIp.Problems.Should().ContainSingle().Which.Field.Should().Be("status.addresses[type=InternalIP]");
        mixed.PodCidrs.Should().Equal("10.244.24.0/24", "10.244.25.0/24");
        mixed.Problems.Should().ContainSingle().Which.Field.Should().Be("spec.podCIDRs[1]");
    }

    [Fact]
    public void Invalid_entries_stay_out_of_status_nodes_and_a_node_without_an_address_is_not_elected()
    {
        var gw = Gateway("gw", "n-noip", "n-ok");
        var members = new[] { Facts(KubeNode("n-noip", null, "10.244.22.0/24")), Facts(KubeNode("n-cidr", "172.16.2.105", "10.244.999.0/24")),
            Facts(KubeNode("n-ok", "172.16.2.103", "10.244.18.0/24")) };

        var decision = GatewayStatusBuilder.Decide(gw, members, Both, Now);

        decision.Status.Nodes!.Select(n => $"{n.NodeName}={n.PrivateIP}:{string.Join(",", n.Subnets)}")
            .Should().Equal("n-cidr=172.16.2.105:", "n-ok=172.16.2.103:10.244.18.0/24");
        decision.Status.ActiveEndpoints!.Single().NodeName.Should().Be("n-ok", "an endpoint agents cannot find in status.nodes would disable the domain");
        var condition = decision.Status.Conditions!.Single(c => c.Type == GatewayConditions.NodesValid);
        condition.Status.Should().Be("False");
        condition.Reason.Should().Be("InvalidNodeFields");
        condition.Message.Should().Contain("node n-cidr: spec.podCIDR: ").And.Contain("node n-noip: status.addresses: no InternalIP address");
        decision.Events.Where(e => e.Reason == GatewayStatusBuilder.EventInvalidNodeField).Should().HaveCount(2)
            .And.OnlyContain(e => e.Warning)
            .And.Contain(e => e.Message.StartsWith("node n-cidr: spec.podCIDR", StringComparison.Ordinal));
    }

    [Fact]
    public void Input_warnings_fire_once_and_again_only_for_a_new_problem()
    {
        var gw = Gateway("gw", "a");
        var members = new List<NodeFacts> { Member("a", "10.0.0.1", "10.244.0.0/24"), Facts(KubeNode("b", null)) };
        var first = GatewayStatusBuilder.Decide(gw, members, Both, Now);
        gw.Status = first.Status;

        var again = GatewayStatusBuilder.Decide(gw, members, Both, Now.AddMinutes(1));
        var againChangesStatus = again.ChangesStatusOf(gw);
        members.Add(Facts(KubeNode("c", "10.0.0.3", "bogus")));
        var worse = GatewayStatusBuilder.Decide(gw, members, Both, Now.AddMinutes(2));
        gw.Status = worse.Status;
        var fixedUp = GatewayStatusBuilder.Decide(gw, [members[0]], Both, Now.AddMinutes(3));

        first.Events.Should().ContainSingle(e => e.Reason == GatewayStatusBuilder.EventInvalidNodeField);
        again.Events.Should().BeEmpty();
        againChangesStatus.Should().BeFalse("a resync with the same inputs writes nothing");
        worse.Events.Should().ContainSingle(e => e.Reason == GatewayStatusBuilder.EventInvalidNodeField)
            .Which.Message.Should().StartWith("node c: spec.podCIDR");
        fixedUp.Status.Conditions!.Single(c => c.Type == GatewayConditions.NodesValid).Status.Should().Be("True");
        fixedUp.Events.Should().BeEmpty();
    }

    [Fact]
    public void Colliding_node_ips_and_overlapping_pod_cidrs_name_both_gateways_and_the_addresses()
    {
        var hangzhou = new[] { Member("hz-1", "172.16.2.103", "10.244.18.0/24"), Member("hz-2", "172.16.2.104", "10.244.19.0/24") };
        var shenzhen = new GatewayMembers("gw-shenzhen",
            [Member("sz-1", "172.16.2.103", "10.244.20.0/24"), Member("sz-2", "10.244.19.7", "10.244.18.128/25")]);
        var qingdao = new GatewayMembers("gw-qingdao", [Member("qd-1", "172.16.1.89", "10.244.16.0/24")]);

        var decision = GatewayStatusBuilder.Decide(Gateway("gw-hangzhou", "hz-1"), hangzhou, Both, Now, [qingdao, shenzhen]);

        var condition = decision.Status.Conditions!.Single(c => c.Type == GatewayConditions.AddressesUnique);
        condition.Status.Should().Be("False");
        condition.Reason.Should().Be("AddressOverlap");
        condition.Message.Should().StartWith("with gateway gw-shenzhen: ")
            .And.Contain("node IP 172.16.2.103 of hz-1 and of sz-1")
            .And.Contain("pod CIDR 10.244.18.0/24 of hz-1 overlaps pod CIDR 10.244.18.128/25 of sz-2")
            .And.Contain("pod CIDR 10.244.19.0/24 of hz-2 overlaps node IP 10.244.19.7 of sz-2")
            .And.NotContain("gw-qingdao");
        var warning = decision.Events.Should().ContainSingle(e => e.Reason == GatewayStatusBuilder.EventAddressOverlap).Subject;
        warning.Warning.Should().BeTrue();
        warning.Message.Should().Contain("gateway gw-hangzhou and gateway gw-shenzhen").And.Contain("172.16.2.103");
    }

    [Fact]
    public void Unique_addresses_keep_the_condition_true_and_a_known_overlap_is_not_announced_twice()
    {
        var gw = Gateway("gw-a", "a-1");
        var members = new[] { Member("a-1", "192.168.1.10", "10.244.1.0/24") };
        var unique = GatewayStatusBuilder.Decide(gw, members, Both, Now, [new("gw-b", [Member("b-1", "192.168.2.10", "10.244.2.0/24")])]);
        var others = new List<GatewayMembers> { new("gw-b", [Member("b-1", "192.168.1.10", "10.244.2.0/24")]) };
        var overlap = GatewayStatusBuilder.Decide(gw, members, Both, Now, others);
        gw.Status = overlap.Status;

        var repeated = GatewayStatusBuilder.Decide(gw, members, Both, Now.AddMinutes(1), others);

        unique.Status.Conditions!.Single(c => c.Type == GatewayConditions.AddressesUnique).Status.Should().Be("True");
        unique.Events.Should().NotContain(e => e.Reason == GatewayStatusBuilder.EventAddressOverlap);
        overlap.Events.Should().ContainSingle(e => e.Reason == GatewayStatusBuilder.EventAddressOverlap);
        repeated.Events.Should().BeEmpty();
        repeated.ChangesStatusOf(gw).Should().BeFalse();
    }
}
