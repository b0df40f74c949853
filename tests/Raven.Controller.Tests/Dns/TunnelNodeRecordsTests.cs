using Raven.Controller.Dns;
using static Raven.Controller.Dns.TunnelNodeRecords;

namespace Raven.Controller.Tests.Dns;

public class TunnelNodeRecordsTests
{
    private static readonly NodeAddress[] Nodes =
    [
        new("edge-2", "gw-hz", "172.16.2.104", null),
        new("cloud-1", "gw-cloud", "192.168.0.195", null),
        new("edge-1", "gw-hz", "172.16.2.103", null),
        new("loner", null, null, "203.0.113.50"),
        new("nowhere", null, null, null),
    ];

    [Fact]
    public void With_l7_edge_nodes_resolve_to_the_internal_service_and_cloud_nodes_to_themselves()
    {
        var text = Build(Nodes, new HashSet<string> { "gw-cloud" }, proxyEnabled: true, internalServiceIp: "10.96.0.10");

        text.Should().Be("10.96.0.10\tedge-1\n10.96.0.10\tedge-2\n10.96.0.10\tloner\n192.168.0.195\tcloud-1");
    }

    [Fact]
    public void Without_l7_every_node_resolves_to_its_own_address_internal_first()
    {
        var text = Build(Nodes, new HashSet<string> { "gw-cloud" }, proxyEnabled: false, internalServiceIp: "10.96.0.10");

        text.Should().Be("172.16.2.103\tedge-1\n172.16.2.104\tedge-2\n192.168.0.195\tcloud-1\n203.0.113.50\tloner");
    }
}
