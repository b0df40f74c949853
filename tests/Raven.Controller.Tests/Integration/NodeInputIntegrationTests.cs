using k8s;
using k8s.Models;
using Raven.Api;
using Raven.Api.Meta;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;
using Raven.Kube.Client;
using Raven.Kube.Models;
using static Raven.Controller.Tests.Integration.TestCluster;

namespace Raven.Controller.Tests.Integration;

/// <summary>
/// Issue 10 items 1 and 4 against the embedded API server: invalid Node fields and addresses two gateways share
/// are left out of status.nodes or reported, with conditions and Warning events that are not repeated.
/// </summary>
public sealed class NodeInputIntegrationTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task AddNodeWithoutInternalIpAsync(string name, string gateway, string podCidr) => _cluster.Core.CreateNodeAsync(new V1Node
    {
        Metadata = new() { Name = name, Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = gateway } },
        Spec = new V1NodeSpec { PodCIDR = podCidr },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "Hostname", Address = name }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    });

    private async Task<List<Corev1Event>> WarningsAsync(string reason, string gateway) =>
        [.. (await _cluster.Core.ListEventForAllNamespacesAsync()).Items
            .Where(e => e.Type == EventRecorder.TypeWarning && e.Reason == reason && e.InvolvedObject.Name == gateway)];

    private static Condition ConditionOf(Gateway gateway, string type) => gateway.Status.Conditions?.FirstOrDefault(c => c.Type == type) ?? new Condition();

    [Fact]
    public async Task Invalid_node_fields_are_left_out_of_status_nodes_and_reported_once()
    {
        await _cluster.AddNodeAsync("hz-1", "gw-hangzhou", "172.16.2.103", "10.244.18.0/24");
        await _cluster.AddNodeAsync("hz-2", "gw-hangzhou", "172.16.2.104", "10.244.19.0/24");
        // The API server refuses an unparsable podCIDR as a real one does; a status address it does not check stands in.
        await _cluster.AddNodeAsync("hz-bad-ip", "gw-hangzhou", "172.16.2.999", "10.244.20.0/24");
        await AddNodeWithoutInternalIpAsync("hz-no-ip", "gw-hangzhou", "10.244.22.0/24");
        await _cluster.Gateways.CreateAsync(Gateway("gw-hangzhou", null, 0, 1, Ep("hz-1", "tunnel", true), Ep("hz-2", "tunnel", true)));
        _cluster.StartController();

        var hz = await _cluster.GatewayWhenAsync("gw-hangzhou", g => ConditionOf(g, GatewayConditions.NodesValid).Status == "False", "NodesValid=False");

        hz.Status.Nodes!.Select(n => $"{n.NodeName}={n.PrivateIP}:{string.Join(",", n.Subnets)}")
            .Should().Equal("hz-1=172.16.2.103:10.244.18.0/24", "hz-2=172.16.2.104:10.244.19.0/24");
        ConditionOf(hz, GatewayConditions.NodesValid).Message.Should()
            .Contain("node hz-bad-ip: status.addresses[type=InternalIP]: \"172.16.2.999\"").And.Contain("node hz-no-ip: status.addresses: no InternalIP");
        var warnings = await EventuallyAsync(() => WarningsAsync(GatewayStatusBuilder.EventInvalidNodeField, "gw-hangzhou"), w => w.Count == 2, "two InvalidNodeField warnings");
        warnings.Select(w => w.Message).Should().Contain(m => m!.StartsWith("node hz-bad-ip: status.addresses[type=InternalIP]", StringComparison.Ordinal))
            .And.Contain(m => m!.StartsWith("node hz-no-ip: status.addresses", StringComparison.Ordinal));

        // A status write for another reason (failover) repeats no warning; the input events come before the election's.
        await _cluster.SetReadyAsync("hz-1", false);
        await EventuallyAsync(() => _cluster.Core.ListEventForAllNamespacesAsync(),
            l => l.Items.Any(e => e.Reason == WellKnown.EventActiveEndpointLost && e.InvolvedObject.Name == "gw-hangzhou"), "the failover's events");
        (await WarningsAsync(GatewayStatusBuilder.EventInvalidNodeField, "gw-hangzhou")).Should().HaveCount(2, "known problems are not announced again");

        await _cluster.Core.DeleteNodeAsync("hz-no-ip");
        await _cluster.Core.DeleteNodeAsync("hz-bad-ip");
        var healed = await _cluster.GatewayWhenAsync("gw-hangzhou", g => ConditionOf(g, GatewayConditions.NodesValid).Status == "True", "NodesValid=True");
        healed.Status.Nodes!.Select(n => n.NodeName).Should().Equal("hz-1", "hz-2");
    }

    [Fact]
    public async Task Addresses_shared_by_two_gateways_are_reported_on_both_naming_the_other_and_the_addresses()
    {
        await _cluster.AddNodeAsync("hz-1", "gw-hangzhou", "172.16.2.103", "10.244.18.0/24");
        await _cluster.AddNodeAsync("hz-2", "gw-hangzhou", "172.16.2.104", "10.244.19.0/24");
        await _cluster.AddNodeAsync("qd-1", "gw-qingdao", "172.16.1.89", "10.244.16.0/24");
        await _cluster.AddNodeAsync("sz-1", "gw-shenzhen", "172.16.2.103", "10.244.20.0/24");
        await _cluster.AddNodeAsync("sz-2", "gw-shenzhen", "172.16.2.110", "10.244.18.128/25");
        await _cluster.Gateways.CreateAsync(Gateway("gw-hangzhou", null, 0, 1, Ep("hz-1", "tunnel", true)));
        await _cluster.Gateways.CreateAsync(Gateway("gw-qingdao", null, 0, 1, Ep("qd-1", "tunnel", true)));
        await _cluster.Gateways.CreateAsync(Gateway("gw-shenzhen", null, 0, 1, Ep("sz-1", "tunnel", true)));
        _cluster.StartController();

        var hz = await _cluster.GatewayWhenAsync("gw-hangzhou", g => ConditionOf(g, GatewayConditions.AddressesUnique).Status == "False", "hangzhou's overlap");
        var sz = await _cluster.GatewayWhenAsync("gw-shenzhen", g => ConditionOf(g, GatewayConditions.AddressesUnique).Status == "False", "shenzhen's overlap");
        var qd = await _cluster.GatewayWhenAsync("gw-qingdao", g => g.Status.Conditions is not null, "qingdao's conditions");

        ConditionOf(hz, GatewayConditions.AddressesUnique).Message.Should().Be(
            "with gateway gw-shenzhen: node IP 172.16.2.103 of hz-1 and of sz-1, pod CIDR 10.244.18.0/24 of hz-1 overlaps pod CIDR 10.244.18.128/25 of sz-2");
        ConditionOf(sz, GatewayConditions.AddressesUnique).Message.Should().StartWith("with gateway gw-hangzhou: node IP 172.16.2.103 of sz-1 and of hz-1");
        ConditionOf(qd, GatewayConditions.AddressesUnique).Status.Should().Be("True");
        foreach (var (self, other) in new[] { ("gw-hangzhou", "gw-shenzhen"), ("gw-shenzhen", "gw-hangzhou") })
        {
            var warning = (await EventuallyAsync(() => WarningsAsync(GatewayStatusBuilder.EventAddressOverlap, self), w => w.Count > 0, $"{self}'s AddressOverlap")).Single();
            warning.Message.Should().Contain($"gateway {self} and gateway {other} claim the same addresses").And.Contain("172.16.2.103");
        }

        // A new colliding node in shenzhen re-checks hangzhou too, and only the changed overlap is announced again.
        await _cluster.AddNodeAsync("sz-3", "gw-shenzhen", "172.16.2.104", "10.244.21.0/24");
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => ConditionOf(g, GatewayConditions.AddressesUnique).Message.Contains("node IP 172.16.2.104 of hz-2 and of sz-3"),
            "hangzhou re-checked after a shenzhen node appeared");
        (await EventuallyAsync(() => WarningsAsync(GatewayStatusBuilder.EventAddressOverlap, "gw-hangzhou"), w => w.Count == 2, "one more warning"))
            .Should().ContainSingle(w => w.Message!.Contains("172.16.2.104"));

        // Shenzhen's Gateway goes away: nobody shares hangzhou's addresses any more.
        await _cluster.Gateways.DeleteAsync("gw-shenzhen");
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => ConditionOf(g, GatewayConditions.AddressesUnique).Status == "True", "AddressesUnique=True");
    }
}
