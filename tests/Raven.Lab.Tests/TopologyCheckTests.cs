using System.Net;
using Raven.Lab.Topology;

namespace Raven.Lab.Tests;

public sealed class TopologyCheckTests
{
    private readonly LabTopology seed = LabTopology.Seed();

    [Theory]
    [InlineData("")]
    [InlineData("rvl")]
    [InlineData("rv-")]
    [InlineData("rvx-")]
    [InlineData("RVL-")]
    [InlineData("rvl-lab")]
    [InlineData("pb-")]
    public void Prefixes_that_could_match_foreign_namespaces_are_refused(string prefix)
    {
        LabNames.CheckPrefix(prefix).Should().NotBeNull();
        var act = () => new LabNames(prefix);
        act.Should().Throw<ArgumentException>().WithMessage($"*'{prefix}'*");
    }

    [Theory]
    [InlineData("rvl-")]
    [InlineData("rvt-lab-")]
    [InlineData("rvt-lab-2-")]
    public void Lab_and_test_prefixes_are_accepted(string prefix) => LabNames.CheckPrefix(prefix).Should().BeNull();

    [Fact]
    public void An_unintended_address_collision_is_reported()
    {
        var qd = seed.Domain("qd");
        var broken = Replace(qd, qd with { Nodes = [qd.Nodes[0] with { LanAddress = IPAddress.Parse("172.16.1.1") }, qd.Nodes[1]] });

        TopologyCheck.Problems(broken).Should().ContainSingle(p => p.Contains("172.16.1.1", StringComparison.Ordinal) && p.Contains("qd-1", StringComparison.Ordinal));
    }

    [Fact]
    public void Sharing_a_LAN_without_declaring_it_is_reported()
    {
        var sz = seed.Domain("sz");
        var broken = Replace(sz, sz with { SharesLanWith = null });

        TopologyCheck.Problems(broken).Should().Contain(p => p.Contains("overlaps LAN", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("172.16.2.103", StringComparison.Ordinal));
    }

    [Fact]
    public void A_public_address_outside_TEST_NET_is_reported()
    {
        var cloud = seed.Domain("cloud");
        var router = cloud.Router with { Exposure = new PublicAddressMapping(IPAddress.Parse("8.8.8.8"), "cloud-1") };

        TopologyCheck.Problems(Replace(cloud, cloud with { Router = router })).Should()
            .ContainSingle().Which.Should().Contain("8.8.8.8").And.Contain("TEST-NET");
    }

    [Fact]
    public void A_WAN_address_outside_TEST_NET_is_reported()
    {
        var hz = seed.Domain("hz");
        var router = hz.Router with { WanAddress = IPAddress.Parse("10.1.1.1") };

        TopologyCheck.Problems(Replace(hz, hz with { Router = router })).Should().Contain(p => p.Contains("10.1.1.1", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlapping_pod_CIDRs_are_reported()
    {
        var hz = seed.Domain("hz");
        var broken = Replace(hz, hz with { Nodes = [hz.Nodes[0], hz.Nodes[1] with { PodCidr = IPNetwork.Parse("10.244.16.0/23") }] });

        TopologyCheck.Problems(broken).Should().Contain(p => p.Contains("10.244.16.0/23", StringComparison.Ordinal) && p.Contains("overlaps", StringComparison.Ordinal));
    }

    [Fact]
    public void Names_too_long_for_an_interface_are_reported()
    {
        var hz = seed.Domain("hz");
        var broken = Replace(hz, hz with { Nodes = [hz.Nodes[0] with { LabName = "hangzhou-edge-node-1" }, hz.Nodes[1]] });

        TopologyCheck.Problems(broken).Should().Contain(p => p.Contains("hangzhou-edge-node-1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_public_domain_without_a_public_address_is_reported()
    {
        var cloud = seed.Domain("cloud");
        var broken = Replace(cloud, cloud with { Router = cloud.Router with { Exposure = null } });

        TopologyCheck.Problems(broken).Should().ContainSingle().Which.Should().Contain("domain cloud");
    }

    private LabTopology Replace(LabDomain old, LabDomain replacement) =>
        seed with { Domains = seed.Domains.Select(d => d == old ? replacement : d).ToList() };
}
