using Raven.Lab.Build;
using Raven.Lab.Topology;

namespace Raven.Lab.Tests;

public sealed class RouterRulesTests
{
    private readonly LabTopology seed = LabTopology.Seed();

    [Fact]
    public void An_edge_router_masquerades_and_drops_unsolicited_inbound_like_a_home_router()
    {
        var rules = Lines(RouterRules.For(seed.Domain("hz")));

        rules.Should().ContainInOrder("*nat", "-A POSTROUTING -s 172.16.2.0/24 -o wan0 -j MASQUERADE", "COMMIT", "*filter");
        rules.Should().ContainInOrder(
            "-A INPUT -i wan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
            "-A INPUT -i wan0 -m conntrack --ctstate NEW,INVALID -j DROP");
        rules.Should().ContainInOrder(
            "-A FORWARD -i wan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
            "-A FORWARD -i wan0 -m conntrack --ctstate NEW,INVALID -j DROP");
        rules.Should().NotContain(l => l.Contains("DNAT", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cloud_router_maps_the_public_address_one_to_one_onto_the_gateway_node()
    {
        var rules = Lines(RouterRules.For(seed.Domain("cloud")));

        rules.Should().Contain([
            "-A PREROUTING -d 203.0.113.10/32 -j DNAT --to-destination 192.168.0.195",
            "-A POSTROUTING -s 192.168.0.195/32 -o wan0 -j SNAT --to-source 203.0.113.10",
            "-A POSTROUTING -s 192.168.0.0/24 -d 192.168.0.195/32 -o br-lan -m conntrack --ctstate DNAT -j MASQUERADE",
        ]);
        rules.Should().ContainInOrder(
            "-A POSTROUTING -s 192.168.0.195/32 -o wan0 -j SNAT --to-source 203.0.113.10",
            "-A POSTROUTING -s 192.168.0.0/24 -o wan0 -j MASQUERADE");
        rules.Should().ContainInOrder(
            "-A FORWARD -i wan0 -m conntrack --ctstate DNAT -j ACCEPT",
            "-A FORWARD -i wan0 -m conntrack --ctstate NEW,INVALID -j DROP");
    }

    private static List<string> Lines(string rules) => rules.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
