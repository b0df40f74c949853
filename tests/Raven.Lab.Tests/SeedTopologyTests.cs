using System.Net;
using Raven.Lab.Topology;

namespace Raven.Lab.Tests;

public sealed class SeedTopologyTests
{
    private readonly LabTopology seed = LabTopology.Seed();

    [Fact]
    public void Seed_is_valid() => TopologyCheck.Problems(seed).Should().BeEmpty();

    [Fact]
    public void Seed_has_the_manual_gateways_plus_the_conflicting_edge()
    {
        seed.Domains.Select(d => (d.GatewayName, d.Exposure, d.Nodes.Count)).Should().Equal(
            ("gw-cloud", DomainExposure.Public, 2),
            ("gw-hangzhou", DomainExposure.BehindNat, 2),
            ("gw-qingdao", DomainExposure.BehindNat, 2),
            ("gw-shenzhen", DomainExposure.BehindNat, 2));
    }

    [Theory]
    [InlineData("cloud-1", "192.168.0.195", "10.244.0.0/24")]
    [InlineData("cloud-2", "192.168.0.196", "10.244.1.0/24")]
    [InlineData("hz-1", "172.16.2.103", "10.244.18.0/24")]
    [InlineData("hz-2", "172.16.2.104", "10.244.19.0/24")]
    [InlineData("qd-1", "172.16.1.89", "10.244.16.0/24")]
    [InlineData("qd-2", "172.16.1.90", "10.244.17.0/24")]
    [InlineData("sz-1", "172.16.2.103", "10.244.20.0/24")]
    [InlineData("sz-2", "172.16.2.104", "10.244.21.0/24")]
    public void Nodes_use_the_manual_addresses(string node, string lanAddress, string podCidr)
    {
        var n = seed.Node(node);
        n.NodeName.Should().Be(node);
        n.LanAddress.Should().Be(IPAddress.Parse(lanAddress));
        n.PodCidr.Should().Be(IPNetwork.Parse(podCidr));
    }

    [Fact]
    public void Only_hangzhou_and_shenzhen_collide_and_only_inside_their_shared_LAN()
    {
        var collisions = AddressPlan.Collisions(seed);

        collisions.Select(c => c.Address.ToString()).Should().BeEquivalentTo("172.16.2.1", "172.16.2.103", "172.16.2.104");
        collisions.Should().OnlyContain(c => c.Owners.Select(o => o.DomainKey).Order().SequenceEqual(new[] { "hz", "sz" }));
        collisions.Should().OnlyContain(c => c.IsIntended(seed));
    }

    [Fact]
    public void Every_public_address_is_in_TEST_NET()
    {
        var publicAddresses = seed.Internet.Subnets.Select(s => s.CoreAddress)
            .Concat(seed.Domains.Select(d => d.Router.WanAddress))
            .Concat(seed.Domains.Select(d => d.Router.Exposure?.PublicAddress).OfType<IPAddress>())
            .ToList();

        publicAddresses.Should().HaveCount(7).And.OnlyContain(a => TestNet.Contains(a));
        seed.Internet.Subnets.Should().OnlyContain(s => TestNet.Contains(s.Network));
    }

    [Fact]
    public void Cloud_gateway_node_is_exposed_through_a_public_address()
    {
        var exposure = seed.Domain("cloud").Router.Exposure;

        exposure.Should().Be(new PublicAddressMapping(IPAddress.Parse("203.0.113.10"), "cloud-1"));
        seed.Domains.Where(d => d.Key != "cloud").Should().OnlyContain(d => d.Router.Exposure == null);
    }

    [Fact]
    public void Pod_CIDRs_are_disjoint_from_each_other_and_from_every_LAN()
    {
        var pods = seed.Nodes.Select(n => n.PodCidr).ToList();

        pods.Should().OnlyHaveUniqueItems();
        foreach (var (a, i) in pods.Select((p, i) => (p, i)))
        {
            pods.Skip(i + 1).Should().NotContain(b => Ipv4.Overlaps(a, b));
            seed.Domains.Should().NotContain(d => Ipv4.Overlaps(a, d.LanCidr));
        }
    }

    [Fact]
    public void Every_interface_name_fits_the_kernel_limit()
    {
        TopologyCheck.Interfaces(LabTopology.Seed("rvt-lab-")).Should()
            .OnlyContain(i => i.Interface.Length <= LabNames.MaxInterfaceNameLength);
    }

    [Fact]
    public void Namespace_names_carry_the_prefix_and_are_short()
    {
        seed.Namespaces.Should().HaveCount(1 + 4 + 8 + 8).And.OnlyHaveUniqueItems()
            .And.OnlyContain(n => n.StartsWith("rvl-", StringComparison.Ordinal) && n.Length <= 15);
        seed.Namespaces.Should().Contain(["rvl-inet", "rvl-r-cloud", "rvl-r-hz", "rvl-hz-1", "rvl-p-hz-1"]);
    }

    [Fact]
    public void A_test_prefix_renames_every_namespace()
    {
        LabTopology.Seed("rvt-lab-").Namespaces.Should().OnlyContain(n => n.StartsWith("rvt-lab-", StringComparison.Ordinal));
    }

    [Fact]
    public void Pod_sits_behind_its_node_on_the_pod_CIDR()
    {
        var node = seed.Node("hz-1");

        node.PodGatewayAddress.Should().Be(IPAddress.Parse("10.244.18.1"));
        node.PodAddress.Should().Be(IPAddress.Parse("10.244.18.2"));
    }
}
