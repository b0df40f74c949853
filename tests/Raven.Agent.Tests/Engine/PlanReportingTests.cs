using System.Net;
using Raven.Agent.Engine;
using Raven.Agent.Linux;
using Raven.Agent.Planning;
using Raven.Api.V1Beta1;
using Raven.Kube.Observability;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Engine;

/// <summary>How the agent tells the operator about skipped inputs and excluded addresses: once, and in metrics.</summary>
public sealed class PlanReportingTests
{
    private static Gateway[] WithBrokenNode()
    {
        var gateways = CloudAndTwoNatedEdges();
        gateways[1].Status.Nodes!.Add(new NodeInfo { NodeName = "edge1-w2", PrivateIP = "", Subnets = ["10.244.999.0/24"] });
        return gateways;
    }

    [Fact]
    public void A_diagnostic_is_reported_once_while_it_lasts_and_again_only_after_it_was_gone()
    {
        var memory = new DiagnosticMemory();
        var broken = Plan("cloud-gw", WithBrokenNode()).Diagnostics;
        var clean = Plan("cloud-gw", CloudAndTwoNatedEdges()).Diagnostics;

        var first = memory.Update(broken);
        var resync = memory.Update(Plan("cloud-gw", WithBrokenNode()).Diagnostics);
        var fixedUp = memory.Update(clean);
        var again = memory.Update(broken);

        first.Appeared.Should().ContainSingle(d => d.Kind == DiagnosticKind.SkippedInput && d.Message.Contains("edge1-w2"));
        resync.Appeared.Should().BeEmpty("a resync of the same inputs logs nothing new");
        resync.Resolved.Should().BeEmpty();
        fixedUp.Resolved.Should().ContainSingle(d => d.Message.Contains("edge1-w2"));
        again.Appeared.Should().ContainSingle(d => d.Message.Contains("edge1-w2"));
    }

    [Fact]
    public async Task Metrics_count_skipped_inputs_and_excluded_addresses_of_the_last_plan()
    {
        var metrics = new AgentMetrics();
        var colliding = CloudAndTwoNatedEdges();
        colliding[2].Status.Nodes![1].PrivateIP = "192.168.1.11"; // edge2-w1 takes edge1-w1's node IP
        var plan = Plan("cloud-w1", Options with { ForwardNodeIp = true }, colliding);
        var broken = Plan("cloud-w1", WithBrokenNode());

        metrics.RecordApply(new ApplyReport(plan, 0, 0, 0, false, 0, [], TimeSpan.Zero));
        var excluded = metrics.ExcludedAddresses.Value;
        metrics.RecordApply(new ApplyReport(broken, 0, 0, 0, false, 0, [], TimeSpan.Zero));

        excluded.Should().Be(2, "edge1-w1's and edge2-w1's shared node IP is left out for both domains");
        metrics.SkippedInputs.Value.Should().Be(1);
        metrics.ExcludedAddresses.Value.Should().Be(0);
        (await metrics.Registry.ExportTextAsync()).Should().Contain("raven_agent_skipped_inputs 1").And.Contain("raven_agent_excluded_addresses 0");
    }

    [Fact]
    public void Connected_prefixes_are_the_networks_of_foreign_interfaces_with_global_scope()
    {
        NetLink[] links = [new(1, "lo", null, 65536, true), new(2, "eth0", null, 1500, true), new(3, "raven0", "vxlan", 1450, true),
            new(4, "raven-wg0", "wireguard", 1420, true), new(5, "cni0", "bridge", 1500, true)];
        NetAddress[] addresses =
        [
            new(1, IPAddress.Parse("127.0.0.1"), 8) { Scope = RouteScope.Host },
            new(2, IPAddress.Parse("172.16.2.104"), 24),
            new(2, IPAddress.Parse("fe80::1"), 64) { Scope = RouteScope.Link },
            new(2, IPAddress.Parse("2001:db8:1::5"), 64),
            new(3, IPAddress.Parse("252.16.2.104"), 4),
            new(5, IPAddress.Parse("10.244.19.1"), 24),
        ];

        var prefixes = ConnectedPrefixes.From(links, addresses, ["raven0", "raven-wg0"]);

        prefixes.Select(p => p.ToString()).Should().Equal("10.244.19.0/24", "172.16.2.0/24", "2001:db8:1::/64");
    }
}
