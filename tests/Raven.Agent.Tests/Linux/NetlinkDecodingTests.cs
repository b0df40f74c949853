using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Netlink;
using Raven.Agent.Tests.Linux.TestData;

namespace Raven.Agent.Tests.Linux;

public sealed class NetlinkDecodingTests
{
    private static List<T> DecodeAll<T>(string hex, Func<NetlinkMessage, T?> decode)
        where T : class =>
        NetlinkMessage.ParseAll(Hex.Bytes(hex)).Select(decode).OfType<T>().ToList();

    [Fact]
    public void Captured_link_dump_yields_bridge_and_vxlan_with_attributes()
    {
        var links = DecodeAll(CapturedDumps.Link, LinkCodec.Decode);

        links.Select(l => l.Name).Should().Equal("lo", "rvbr0", "raven0");
        links.Single(l => l.Name == "rvbr0").Kind.Should().Be("bridge");
        var vxlan = links.Single(l => l.Name == "raven0");
        vxlan.Should().Match<NetLink>(l => l.Index == 3 && l.Kind == "vxlan" && l.Mtu == 1450 && l.AdminUp && l.Mac != null);
        vxlan.Vxlan.Should().Be(new VxlanAttributes(200, IPAddress.Parse("192.0.2.1"), null, 2, 4472, Learning: false) { UdpChecksum = true }); // the capture: the kernel default
    }

    [Fact]
    public void Captured_address_dump_yields_prefix_scope_and_index()
    {
        var addresses = DecodeAll(CapturedDumps.Addr, AddressCodec.Decode);

        addresses.Should().Contain(new NetAddress(3, IPAddress.Parse("240.0.2.1"), 8) { Scope = RouteScope.Link, Label = "raven0" });
        addresses.Should().Contain(new NetAddress(2, IPAddress.Parse("192.0.2.1"), 24) { Label = "rvbr0" });
    }

    [Fact]
    public void Captured_route_dump_yields_table_9027_route_with_mtu_and_onlink()
    {
        var routes = DecodeAll(CapturedDumps.Route, RouteCodec.Decode);

        routes.Where(r => r.Table == 9027).Should().ContainSingle().Which.Should().Be(new NetRoute(IPNetwork.Parse("198.51.100.0/24"))
        {
            Table = 9027,
            Gateway = IPAddress.Parse("240.0.2.9"),
            OutputInterface = 3,
            Mtu = 1400,
            OnLink = true,
            Protocol = 3, // RTPROT_BOOT: added by "ip route" without "proto"
        });
        routes.Should().Contain(r => r.Table == 255 && r.Type == RouteType.Local, "the dump covers every table");
    }

    [Fact]
    public void Captured_rule_dump_yields_masked_fwmark_rule()
    {
        var rules = DecodeAll(CapturedDumps.Rule, RuleCodec.Decode);

        rules.Select(r => r.Priority).Should().Equal(0u, 100u, 32766u, 32767u);
        rules.Single(r => r.Priority == 100).Matches(new NetRule(100, 9027) { FwMark = 0x40, FwMask = 0x40 }).Should().BeTrue();
        rules.Single(r => r.Priority == 32766).Table.Should().Be(254);
    }

    [Fact]
    public void Captured_neighbour_dumps_yield_permanent_arp_and_vxlan_fdb_entries()
    {
        var arp = DecodeAll(CapturedDumps.Neigh, NeighborCodec.Decode);
        var fdb = DecodeAll(CapturedDumps.Fdb, NeighborCodec.Decode).Where(n => n.InterfaceIndex == 3).ToList();

        arp.Should().Contain(new NetNeighbor(NeighborFamily.Inet, 3, IPAddress.Parse("240.0.2.9"), MacAddress.Parse("aa:0f:f0:00:02:09")));
        fdb.Select(n => n.Mac).Should().BeEquivalentTo(new MacAddress?[] { MacAddress.Zero, MacAddress.Parse("aa:0f:f0:00:02:09") });
        fdb.Should().OnlyContain(n => n.Destination!.Equals(IPAddress.Parse("192.0.2.9")) && n.Flags.HasFlag(NeighborFlags.Self)
                                      && n.State.HasFlag(NeighborState.Permanent) && n.Family == NeighborFamily.Bridge);
    }

    [Fact]
    public void Error_reply_with_extended_ack_yields_errno_and_kernel_text()
    {
        byte[] reply = Hex.Bytes(
            "34000000" + "0200" + "0003" + "05000000" + "00000000" + // NLMSG_ERROR, CAPPED|ACK_TLVS
            "efffffff" + // -17 (EEXIST)
            "70000000" + "1000" + "0506" + "05000000" + "00000000" + // echoed request header only
            "10000100" + "46696c6520657869737473" + "00"); // NLMSGERR_ATTR_MSG "File exists" + pad

        var (errno, text) = NetlinkError.Parse(NetlinkMessage.ParseAll(reply).Single());

        errno.Should().Be(17);
        text.Should().Be("File exists");
        new NetlinkException("create vxlan raven0", errno, text).Message.Should().StartWith("create vxlan raven0: ").And.Contain("errno 17").And.EndWith(": File exists");
    }

    [Fact]
    public void Ack_is_an_error_reply_with_errno_zero()
    {
        byte[] ack = Hex.Bytes("24000000" + "0200" + "0001" + "05000000" + "00000000" + "00000000" + "2c000000100005060500000000000000");

        NetlinkError.Parse(NetlinkMessage.ParseAll(ack).Single()).Errno.Should().Be(0);
    }

    [Fact]
    public void Truncated_message_or_attribute_is_rejected_with_offset()
    {
        var badMessage = () => NetlinkMessage.ParseAll(Hex.Bytes("40000000" + "1000" + "0000" + "0000000000000000"));
        var badAttribute = () => NetlinkAttributes.Parse(Hex.Bytes("0c000300" + "6c6f00"));

        badMessage.Should().Throw<InvalidDataException>().WithMessage("*offset 0*length 64*");
        badAttribute.Should().Throw<InvalidDataException>().WithMessage("*type 3*length 12*");
    }
}
