using Raven.Api.Net;
using Raven.Agent.Planning;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

public class MtuAndOverlayTests
{
    [Theory]
    [InlineData(1500, false, false, 1440, 1440, 1400)]
    [InlineData(1500, false, true, 1420, 1420, 1380)]
    [InlineData(1500, true, false, 1430, 1440, 1390)]
    [InlineData(9000, false, false, 8940, 8940, 8900)]
    public void Route_mtu_is_the_minimum_over_vxlan_and_wireguard(int underlay, bool vxlanV6, bool wgV6, int route, int wg, int mss)
    {
        var mtu = MtuCalculator.Compute(underlay, vxlanV6, wgV6);

        mtu.Should().Be(new MtuPlan(route, wg, route, mss));
    }

    [Theory]
    [InlineData("10.0.0.5", "250.0.0.5")]
    [InlineData("11.0.0.5", "251.0.0.5")]
    [InlineData("192.168.1.5", "240.168.1.5")]
    [InlineData("172.16.0.5", "252.16.0.5")]
    [InlineData("100.64.0.5", "244.64.0.5")]
    [InlineData("fd00::a00:105", "250.0.1.5")]
    public void Overlay_address_keeps_the_low_28_bits_inside_240_0_0_0_4(string privateIp, string expected) =>
        OverlayAddressing.AddressFor(Ip(privateIp)).Should().Be(Ip(expected));

    [Fact]
    public void Nodes_differing_only_in_the_first_octet_get_distinct_addresses_and_macs()
    {
        var diagnostics = new List<Diagnostic>();
        DomainNode[] nodes =
        [
            new("a", Ip("10.0.0.5"), ValueList<Cidr>.Empty),
            new("b", Ip("11.0.0.5"), ValueList<Cidr>.Empty),
            new("c", Ip("192.0.0.5"), ValueList<Cidr>.Empty),
            new("d", Ip("172.0.0.5"), ValueList<Cidr>.Empty),
        ];

        var assigned = OverlayAddressing.Assign(nodes, null, "test", diagnostics);

        assigned.Values.Should().OnlyHaveUniqueItems().And.HaveCount(4);
        assigned.Values.Select(OverlayAddressing.MacFor).Should().OnlyHaveUniqueItems();
        diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void A_real_collision_is_reported_and_the_lower_name_keeps_the_address()
    {
        var diagnostics = new List<Diagnostic>();
        DomainNode[] nodes = [new("zeta", Ip("26.0.0.5"), ValueList<Cidr>.Empty), new("alpha", Ip("10.0.0.5"), ValueList<Cidr>.Empty)];

        var assigned = OverlayAddressing.Assign(nodes, null, "gateway/g", diagnostics);

        assigned.Should().ContainKey("alpha").And.NotContainKey("zeta");
        diagnostics.Should().ContainSingle().Which.Message.Should().Contain("zeta").And.Contain("collides with node alpha");
    }

    [Fact]
    public void Mac_is_the_prefix_plus_the_overlay_bytes() =>
        OverlayAddressing.MacFor(Ip("250.0.1.5")).Should().Be("aa:0f:fa:00:01:05");
}
