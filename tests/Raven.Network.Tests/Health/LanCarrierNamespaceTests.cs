using System.Net;
using Raven.Agent.Health.Failover;
using Raven.Agent.Health.Wiring;
using Raven.Agent.Linux;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Health;

/// <summary>
/// The LAN carrier as the agent reads it over rtnetlink: a node namespace whose lan0 holds the node IP, cabled by a veth
/// pair to a "switch" namespace. Setting the switch's end down takes lan0's carrier away, as unplugging it would;
/// iproute2 reads the same kernel state independently.
/// </summary>
public sealed class LanCarrierNamespaceTests : IDisposable
{
    private static readonly IPAddress NodeIp = IPAddress.Parse("192.0.2.11");
    private readonly TestNamespace _node = TestNamespace.Create("rvh1");
    private readonly TestNamespace _switch = TestNamespace.Create("rvh1");
    private readonly NetlinkLanCarrierReader _reader;

    public LanCarrierNamespaceTests()
    {
        TestNamespace.Link(_node, "lan0", NodeIp + "/24", _switch, "sw0", "192.0.2.1/24");
        _reader = new NetlinkLanCarrierReader(_node.Name);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _node.Dispose();
        _switch.Dispose();
    }

    [Fact]
    public void The_device_holding_the_node_ip_loses_carrier_when_its_peer_goes_down_and_an_unreadable_device_is_unknown()
    {
        using var netlink = RtNetlink.OpenInNamespace(_node.Name);
        _reader.Read(NodeIp).Should().Match<LanCarrierReading>(r => r.Carrier == LinkCarrier.Up && r.Device == "lan0");
        netlink.GetLink("lan0").Should().Match<NetLink>(l => l.Carrier == true && l.LowerUp && l.HasCarrier);

        _switch.Ip("link", "set", "sw0", "down");

        var cut = _reader.Read(NodeIp);
        cut.Should().Match<LanCarrierReading>(r => r.Carrier == LinkCarrier.Down && r.Device == "lan0", cut.ToString());
        cut.Detail.Should().Contain("admin up, carrier off");
        netlink.GetLink("lan0").Should().Match<NetLink>(l => l.AdminUp && l.Carrier == false && !l.LowerUp && !l.HasCarrier);
        _node.Ip("link", "show", "lan0").Should().Contain("NO-CARRIER", "iproute2 sees the same lost carrier");

        _switch.Ip("link", "set", "sw0", "up");
        _reader.Read(NodeIp).Carrier.Should().Be(LinkCarrier.Up, "the carrier returns with the peer, before the kernel's operstate catches up");

        _node.Ip("link", "set", "lan0", "down");
        _reader.Read(NodeIp).Carrier.Should().Be(LinkCarrier.Down, "a device set down passes nothing either");
        _node.Ip("link", "set", "lan0", "up");

        var elsewhere = _reader.Read(IPAddress.Parse("192.0.2.12"));
        elsewhere.Should().Match<LanCarrierReading>(r => r.Carrier == LinkCarrier.Unknown && r.Device == null, elsewhere.ToString());
        elsewhere.Detail.Should().Contain("no device holds the node IP 192.0.2.12");

        _reader.Read(NodeIp).Carrier.Should().Be(LinkCarrier.Up);
        _switch.Ip("link", "del", "sw0");
        var gone = _reader.Read(NodeIp);
        gone.Carrier.Should().Be(LinkCarrier.Unknown, "a deleted device takes the node IP with it: nothing to read, so nothing to judge by");
        gone.Detail.Should().Contain("192.0.2.11");
    }
}
