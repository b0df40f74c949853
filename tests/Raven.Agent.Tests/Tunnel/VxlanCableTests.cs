using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Api;
using Raven.Api.Net;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Tunnel;

/// <summary>Issue 14 item 4 without root: the cable's profile, its plan → neighbour/FDB entries, and who it refuses.</summary>
public sealed class VxlanCableTests
{
    private static readonly PlannerOptions Cable = new() { Tunnel = VxlanCableProfile.Instance, TunnelDevice = VxlanCableProfile.DeviceName };

    /// <summary>Three domains whose gateways share a private underlay 10.10.0.0/24, none under NAT.</summary>
    private static Gateway[] SharedUnderlay(string? edge2Driver = null)
    {
        var edge2 = TunnelEndpoint("edge2-gw", "10.10.0.30", withKey: false);
        if (edge2Driver is not null)
        {
            edge2.Config = new() { [WellKnown.VpnDriverConfigKey] = edge2Driver };
        }

        return
        [
            Gateway("cloud", TunnelEndpoint("cloud-gw", "10.10.0.10", withKey: false),
                Node("cloud-gw", "10.10.0.10", "10.244.0.0/24"), Node("cloud-w1", "172.16.0.11", "10.244.1.0/24")).Exposed(),
            Gateway("edge1", TunnelEndpoint("edge1-gw", "10.10.0.20", withKey: false),
                Node("edge1-gw", "10.10.0.20", "10.244.10.0/24"), Node("edge1-w1", "192.168.1.11", "10.244.11.0/24")),
            Gateway("edge2", edge2, Node("edge2-gw", "10.10.0.30", "10.244.8.0/23")),
        ];
    }

    private static TunnelPeer Peer(string gateway, string? address, bool underNat = false) => new(
        gateway, $"{gateway}-gw", address is null ? null : new PeerEndpoint(Ip(address), VxlanCableProfile.Port),
        ValueList<Cidr>.Empty, new[] { C("10.250.0.0/24") }.ToValueList(), null, RelayRole.Direct, new[] { gateway }.ToValueList(), EndpointConfig.Empty)
    {
        UnderNat = underNat,
    };

    private static TunnelPlan PlanOf(params TunnelPeer[] peers) =>
        new(VxlanCableProfile.BackendName, VxlanCableProfile.DeviceName, 4500, 1450, new[] { C("10.244.0.0/24") }.ToValueList(), peers.ToValueList())
        {
            LocalAddress = Ip("10.10.0.10"),
        };

    [Fact]
    public void Vxlan_is_registered_and_its_profile_is_unencrypted_with_50_bytes_of_overhead_and_no_published_key()
    {
        var registration = TunnelBackends.Get(" VXLAN ");

        registration.Name.Should().Be("vxlan");
        registration.Profile.Should().BeSameAs(VxlanCableProfile.Instance);
        var profile = registration.Profile;
        (profile.Encrypts, profile.Overhead(ipv6Underlay: false), profile.Overhead(ipv6Underlay: true)).Should().Be((false, 50, 70));
        profile.ProblemWith(EndpointConfig.Empty).Should().BeNull("the cable needs nothing published by the peer");
        profile.Identity(EndpointConfig.From(new Dictionary<string, string> { ["publicKey"] = KeyOf("x") })).Should().BeNull();
        TunnelBackends.UnknownMessage("openvpn").Should().Contain("vxlan");
    }

    [Fact]
    public void Remote_cidrs_are_routed_via_each_peers_underlay_address_on_the_cable_even_where_they_would_merge()
    {
        var plan = Plan("cloud-gw", Cable, SharedUnderlay());

        plan.Tunnel!.Mtu.Should().Be(1450);
        plan.Routes.Where(r => r.Table == KernelNames.WireGuardRouteTable)
            .Select(r => $"{r.Destination} via {r.Gateway} dev {r.Device}{(r.OnLink ? " onlink" : "")}")
            .Should().BeEquivalentTo(
                "10.244.10.0/23 via 10.10.0.20 dev raven-cable0 onlink",
                "10.244.8.0/23 via 10.10.0.30 dev raven-cable0 onlink");
        plan.Tunnel.LocalAddress.Should().Be(Ip("10.10.0.10"));
    }

    [Fact]
    public void A_relaying_central_gateway_is_the_next_hop_for_every_domain_it_carries()
    {
        var plan = Plan("edge1-gw", Cable, CloudAndTwoNatedEdges());

        plan.Tunnel!.LocalUnderNat.Should().BeTrue();
        plan.Routes.Where(r => r.Table == KernelNames.WireGuardRouteTable).Should().NotBeEmpty()
            .And.OnlyContain(r => Ip("203.0.113.10").Equals(r.Gateway) && r.OnLink, "cloud and edge2 both travel through the cloud gateway");
    }

    [Fact]
    public void Wireguard_routes_keep_pointing_at_the_device_alone()
    {
        var gateways = SharedUnderlay();
        foreach (var endpoint in gateways.Select(g => g.Status.ActiveEndpoints![0]))
        {
            endpoint.Config = new() { ["publicKey"] = KeyOf(endpoint.NodeName) };
        }

        var plan = Plan("cloud-gw", gateways);

        plan.Routes.Where(r => r.Table == KernelNames.WireGuardRouteTable).Should().NotBeEmpty().And.OnlyContain(r => r.Gateway == null && !r.OnLink);
    }

    [Fact]
    public void A_peer_publishing_another_vpn_driver_is_skipped_with_a_diagnostic_and_the_others_stay()
    {
        var plan = Plan("cloud-gw", Cable, SharedUnderlay(edge2Driver: "wireguard"));
        var same = Plan("cloud-gw", Cable, SharedUnderlay(edge2Driver: "vxlan"));

        plan.Tunnel!.Peers.Select(p => p.GatewayName).Should().Equal("edge1");
        plan.Diagnostics.Should().Contain(d => d.Subject == "gateway/edge2" && d.Kind == DiagnosticKind.SkippedPeer &&
            d.Message.Contains("runs the wireguard VPN driver, this agent runs vxlan"));
        plan.Routes.Should().NotContain(r => r.Destination == C("10.244.8.0/23"));
        same.Tunnel!.Peers.Select(p => p.GatewayName).Should().Equal("edge1", "edge2");
    }

    [Fact]
    public void Each_peer_gets_one_neighbour_and_one_fdb_entry_with_the_mac_its_node_name_gives()
    {
        var design = CableDesign.From(Plan("cloud-gw", Cable, SharedUnderlay()).Tunnel!, "cloud-gw");

        design.Skipped.Should().BeEmpty();
        design.LocalMac.Should().Be(CableMac.For("cloud-gw"));
        design.Neighbors(7).Select(n => $"{n.Family} #{n.InterfaceIndex} {n.Destination} {n.Mac} {n.State}").Should().Equal(
            $"Inet #7 10.10.0.20 {CableMac.For("edge1-gw")} Permanent",
            $"Inet #7 10.10.0.30 {CableMac.For("edge2-gw")} Permanent");
        design.Fdb(7).Select(n => $"{n.Family} #{n.InterfaceIndex} {n.Mac} dst {n.Destination} {n.State}").Should().Equal(
            $"Bridge #7 {CableMac.For("edge1-gw")} dst 10.10.0.20 NoArp, Permanent",
            $"Bridge #7 {CableMac.For("edge2-gw")} dst 10.10.0.30 NoArp, Permanent");
    }

    [Fact]
    public void Cable_macs_are_stable_locally_administered_unicast_and_differ_per_node()
    {
        var mac = CableMac.For("edge1-gw").GetBytes();

        (mac[0] & 0x01).Should().Be(0, "unicast");
        (mac[0] & 0x02).Should().Be(2, "locally administered");
        CableMac.For("edge1-gw").Should().Be(CableMac.For("edge1-gw"));
        Enumerable.Range(0, 200).Select(i => CableMac.For($"node-{i}")).Distinct().Should().HaveCount(200);
    }

    [Theory]
    [InlineData("10.10.0.20", false, false, null, null)]
    [InlineData("192.168.4.2", false, false, null, null)]
    [InlineData("172.20.0.2", false, false, null, null)]
    [InlineData("198.51.100.30", false, false, null, "is reached at 198.51.100.30, a public address")]
    [InlineData("100.64.3.2", false, false, null, "a carrier-grade NAT address")]
    [InlineData("10.10.0.20", true, false, null, "is under NAT")]
    [InlineData("10.10.0.20", false, true, null, "from a gateway under NAT")]
    [InlineData("10.10.0.20", false, false, "203.0.113.10", "would reach this gateway at 203.0.113.10, a public address")]
    public void Peers_under_nat_or_across_public_addresses_are_refused_unless_allowed(
        string address, bool peerUnderNat, bool localUnderNat, string? localAddress, string? refusal)
    {
        var plan = PlanOf(Peer("edge1", address, peerUnderNat)) with
        {
            LocalUnderNat = localUnderNat,
            LocalAddress = localAddress is null ? Ip("10.10.0.10") : Ip(localAddress),
        };

        var refused = UnderlayTrust.Refusal(plan, plan.Peers[0]);
        var allowed = UnderlayTrust.Refusal(plan with { AllowUntrustedUnderlay = true }, plan.Peers[0]);

        if (refusal is null)
        {
            refused.Should().BeNull();
        }
        else
        {
            refused.Should().Contain(refusal).And.Contain("--vxlan-allow-untrusted-underlay");
        }

        allowed.Should().BeNull("the flag admits every peer that has an address");
    }

    [Fact]
    public void A_refused_peer_is_reported_and_never_blocks_the_others()
    {
        var plan = PlanOf(Peer("edge1", "10.10.0.20"), Peer("edge2", null), Peer("edge3", "198.51.100.30"), Peer("edge4", "10.10.0.20"),
            Peer("edge5", "10.10.0.50", underNat: true)) with { AllowUntrustedUnderlay = false };

        var design = CableDesign.From(plan, "cloud-gw");
        var allowed = CableDesign.From(plan with { AllowUntrustedUnderlay = true }, "cloud-gw");

        design.Peers.Select(p => p.Gateway).Should().Equal("edge1");
        design.Skipped.Select(s => s.Gateway).Should().Equal("edge2", "edge3", "edge4", "edge5");
        design.Skipped.Single(s => s.Gateway == "edge2").Reason.Should().Contain("no NAT traversal");
        design.Skipped.Single(s => s.Gateway == "edge4").Reason.Should().Contain("also gateway edge1's");
        allowed.Peers.Select(p => p.Gateway).Should().Equal("edge1", "edge3", "edge5");
        allowed.Skipped.Select(s => s.Gateway).Should().Equal("edge2", "edge4");
    }

    [Fact]
    public void A_peer_under_nat_is_sent_to_its_published_port_and_every_other_peer_to_the_cables_port()
    {
        var forwarded = Peer("edge1", "198.51.100.11", underNat: true) with { Endpoint = new PeerEndpoint(Ip("198.51.100.11"), 44741) };
        var direct = Peer("edge2", "10.10.0.30") with { Endpoint = new PeerEndpoint(Ip("10.10.0.30"), 4500) }; // the Gateway's generic tunnel port
        var plan = PlanOf(forwarded, direct) with { AllowUntrustedUnderlay = true };

        var design = CableDesign.From(plan, "cloud-gw");

        design.Fdb(7).Select(n => (n.Destination!.ToString(), n.Port)).Should().Equal(("198.51.100.11", (ushort?)44741), ("10.10.0.30", (ushort?)null));
    }

    [Fact]
    public void A_peer_on_this_nodes_own_node_name_is_skipped_rather_than_sharing_its_mac()
    {
        var plan = PlanOf(new TunnelPeer("other", "cloud-gw", new PeerEndpoint(Ip("10.10.0.20"), 4474), ValueList<Cidr>.Empty,
            new[] { C("10.250.0.0/24") }.ToValueList(), null, RelayRole.Direct, new[] { "other" }.ToValueList(), EndpointConfig.Empty));

        var design = CableDesign.From(plan, "cloud-gw");

        design.Peers.Should().BeEmpty();
        design.Skipped.Should().ContainSingle().Which.Reason.Should().Contain("this node's cable MAC");
    }

    [Fact]
    public void The_allow_flag_and_config_key_reach_the_plan()
    {
        var flags = new Dictionary<string, string> { ["node-name"] = "cloud-gw" };
        var fromConfig = Raven.Agent.Engine.AgentOptionsParser.Parse(flags, _ => null,
            new Dictionary<string, string> { ["vxlan-allow-untrusted-underlay"] = "true" });
        var fromFlag = Raven.Agent.Engine.AgentOptionsParser.Parse(
            new Dictionary<string, string>(flags) { ["vxlan-allow-untrusted-underlay"] = "true", ["vpn-driver"] = "vxlan" }, _ => null, null);
        var off = Raven.Agent.Engine.AgentOptionsParser.Parse(flags, _ => null, null);

        fromConfig.VxlanAllowUntrustedUnderlay.Should().BeTrue();
        fromFlag.VpnDriver.Should().Be("vxlan");
        off.VxlanAllowUntrustedUnderlay.Should().BeFalse();
        var plan = Plan("cloud-gw", fromFlag.ToPlannerOptions(true) with { Tunnel = VxlanCableProfile.Instance, TunnelDevice = VxlanCableProfile.DeviceName },
            SharedUnderlay());
        plan.Tunnel!.AllowUntrustedUnderlay.Should().BeTrue();
    }
}
