using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Netlink;

namespace Raven.Agent.Tests.Linux;

public sealed class NetlinkEncodingTests
{
    [Fact]
    public void Rule_with_masked_fwmark_in_a_large_table_encodes_byte_exact()
    {
        var rule = new NetRule(100, 9027) { FwMark = 0x40, FwMask = 0x40 };

        byte[] message = RuleCodec.Add(rule).Build(sequence: 1);

        Hex.Of(message).Should().Be(
            "3c000000" + "2000" + "0506" + "01000000" + "00000000" + // nlmsghdr: NEWRULE, REQUEST|ACK|EXCL|CREATE
            "020000000000000100000000" + // fib_rule_hdr: AF_INET, table in FRA_TABLE, action FR_ACT_TO_TBL
            "0800060064000000" + // FRA_PRIORITY 100
            "08000f0043230000" + // FRA_TABLE 9027
            "08000a0040000000" + // FRA_FWMARK 0x40
            "0800100040000000"); // FRA_FWMASK 0x40
    }

    [Fact]
    public void Vxlan_create_encodes_nested_linkinfo_with_port_in_network_order()
    {
        var spec = new VxlanLinkSpec("raven0", 200, IPAddress.Parse("192.0.2.1"), 4472) { ParentIndex = 2, Mtu = 1450 };

        byte[] message = LinkCodec.CreateVxlan(spec).Build(sequence: 7);

        Hex.Of(message).Should().Be(
            "70000000" + "1000" + "0506" + "07000000" + "00000000" +
            "00000000000000000000000000000000" + // ifinfomsg
            "0b000300" + "726176656e3000" + "00" + // IFLA_IFNAME "raven0"
            "08000400aa050000" + // IFLA_MTU 1450
            "3c001200" + // IFLA_LINKINFO
            "0a000100" + "76786c616e00" + "0000" + // IFLA_INFO_KIND "vxlan"
            "2c000200" + // IFLA_INFO_DATA
            "08000100c8000000" + // IFLA_VXLAN_ID 200
            "0800030002000000" + // IFLA_VXLAN_LINK 2
            "08000400c0000201" + // IFLA_VXLAN_LOCAL 192.0.2.1
            "0500070000000000" + // IFLA_VXLAN_LEARNING 0
            "06000f0011780000"); // IFLA_VXLAN_PORT 4472 big endian
    }

    [Fact]
    public void Vxlan_create_encodes_a_chosen_outer_udp_checksum_after_the_port()
    {
        var spec = new VxlanLinkSpec("raven-cable0", 201, null, 4474) { UdpChecksum = false };

        Hex.Of(LinkCodec.CreateVxlan(spec).Build(sequence: 1)).Should().EndWith(
            "06000f00117a0000" + // IFLA_VXLAN_PORT 4474 big endian
            "0500120000000000", // IFLA_VXLAN_UDP_CSUM 0
            "the cable asks for a zero outer checksum");
    }

    [Fact]
    public void Route_in_table_9027_carries_rta_table_onlink_and_mtu_metric()
    {
        var route = new NetRoute(IPNetwork.Parse("198.51.100.0/24"))
        {
            Table = 9027,
            Gateway = IPAddress.Parse("240.0.2.9"),
            OutputInterface = 3,
            Mtu = 1400,
            OnLink = true,
        };

        byte[] message = RouteCodec.Add(route, replace: true).Build(sequence: 2);

        Hex.Of(message).Should().Be(
            "48000000" + "1800" + "0505" + "02000000" + "00000000" + // NEWROUTE, REQUEST|ACK|REPLACE|CREATE
            "02180000" + "00040001" + "04000000" + // rtmsg: AF_INET /24, table unspec, static, universe, unicast, RTNH_F_ONLINK
            "08000100c6336400" + // RTA_DST
            "08000f0043230000" + // RTA_TABLE 9027
            "08000500f0000209" + // RTA_GATEWAY
            "0800040003000000" + // RTA_OIF 3
            "0c000800" + "0800020078050000"); // RTA_METRICS { RTAX_MTU 1400 }
    }

    [Fact]
    public void Route_delete_matches_any_scope_protocol_and_type()
    {
        var route = new NetRoute(IPNetwork.Parse("198.51.100.0/24")) { Table = 9027, Mtu = 1400, OnLink = true };

        byte[] message = RouteCodec.Delete(route).Build(sequence: 3);

        Hex.Of(message[16..28]).Should().Be("02180000" + "0000ff00" + "00000000");
        message.Length.Should().Be(16 + 12 + 16, "the delete carries only RTA_DST and RTA_TABLE");
    }

    [Fact]
    public void Vxlan_fdb_append_uses_af_bridge_ntf_self_and_nda_dst()
    {
        var entry = new NetNeighbor(NeighborFamily.Bridge, 3, IPAddress.Parse("192.0.2.9"), MacAddress.Zero)
        {
            State = NeighborState.Permanent | NeighborState.NoArp,
            Flags = NeighborFlags.Self,
        };

        byte[] message = NeighborCodec.Add(entry, NeighborWriteMode.Append).Build(sequence: 4);

        Hex.Of(message).Should().Be(
            "30000000" + "1c00" + "050c" + "04000000" + "00000000" + // NEWNEIGH, REQUEST|ACK|CREATE|APPEND
            "07000000" + "03000000" + "c0000200" + // ndmsg: AF_BRIDGE, ifindex 3, PERMANENT|NOARP, NTF_SELF
            "08000100c0000209" + // NDA_DST
            "0a000200000000000000" + "0000"); // NDA_LLADDR 00:00:00:00:00:00
    }

    [Fact]
    public void Vxlan_fdb_entry_with_a_port_carries_nda_port_in_network_order_and_decodes_back()
    {
        var entry = new NetNeighbor(NeighborFamily.Bridge, 3, IPAddress.Parse("192.0.2.9"), MacAddress.Parse("aa:1f:00:00:00:01"))
        {
            State = NeighborState.Permanent | NeighborState.NoArp,
            Flags = NeighborFlags.Self,
            Port = 44741,
        };

        byte[] message = NeighborCodec.Add(entry, NeighborWriteMode.Append).Build(sequence: 4);

        Hex.Of(message).Should().Be(
            "38000000" + "1c00" + "050c" + "04000000" + "00000000" +
            "07000000" + "03000000" + "c0000200" +
            "08000100c0000209" + // NDA_DST
            "0a000200aa1f00000001" + "0000" + // NDA_LLADDR
            "06000600aec5" + "0000"); // NDA_PORT 44741 = 0xaec5, big-endian as the kernel's __be16
        NeighborCodec.Decode(NetlinkMessage.ParseAll(message).Single())!.Port.Should().Be(44741, "a dump reply has the same RTM_NEWNEIGH layout");
    }

    [Fact]
    public void Address_add_sets_local_and_address_with_scope()
    {
        var address = new NetAddress(3, IPAddress.Parse("240.0.2.1"), 8) { Scope = RouteScope.Link };

        byte[] message = AddressCodec.Add(address, replace: false).Build(sequence: 5);

        Hex.Of(message).Should().Be(
            "28000000" + "1400" + "0506" + "05000000" + "00000000" +
            "020800fd" + "03000000" + // ifaddrmsg: AF_INET /8 scope link ifindex 3
            "08000200f0000201" + "08000100f0000201"); // IFA_LOCAL, IFA_ADDRESS
    }

    [Fact]
    public void Link_up_sets_iff_up_in_flags_and_change_mask()
    {
        Hex.Of(LinkCodec.SetUp(5, up: true).Build(9)[16..]).Should().Be("00000000" + "05000000" + "01000000" + "01000000");
        Hex.Of(LinkCodec.SetUp(5, up: false).Build(9)[16..]).Should().Be("00000000" + "05000000" + "00000000" + "01000000");
    }
}
