using Raven.Agent.Tunnel.IPsec;

namespace Raven.Agent.Tests.IPsec;

public sealed class CharonParserTests
{
    private static ViciSection Message(string segment) => ViciPacketCodec.Decode(CapturedVici.Payload(segment)).Message!;

    [Fact]
    public void A_captured_list_sa_event_reads_as_the_established_sa_with_its_child()
    {
        var sa = CharonParser.ParseSas([Message(CapturedVici.ListSasReceived[1])]).Should().ContainSingle().Subject;

        sa.Connection.Should().Be("raven-gw-b");
        (sa.UniqueId, sa.State, sa.IsEstablished).Should().Be((1u, "ESTABLISHED", true));
        (sa.LocalHost, sa.LocalPort, sa.LocalId).Should().Be(("192.0.2.1", 4500, "gw-a"));
        (sa.RemoteHost, sa.RemotePort, sa.RemoteId).Should().Be(("192.0.2.2", 4500, "gw-b"));
        (sa.Initiator, sa.NatLocal, sa.NatRemote).Should().Be((true, false, true), "encap = yes makes charon fake a NAT on the remote side");
        sa.EstablishedSeconds.Should().Be(2);
        var child = sa.Children.Should().ContainSingle().Subject;
        (child.Name, child.UniqueId, child.ReqId, child.State, child.Encapsulated).Should().Be(("pods", 1u, 1u, "INSTALLED", true));
        (child.BytesIn, child.PacketsIn, child.BytesOut, child.PacketsOut, child.InstalledSeconds).Should().Be((0L, 0L, 0L, 0L, 2L));
        child.LocalTrafficSelectors.Should().Equal("198.51.100.16/28");
        child.RemoteTrafficSelectors.Should().Equal("198.51.100.32/28");
    }

    [Fact]
    public void A_captured_list_conn_event_reads_as_the_loaded_connection()
    {
        var connection = CharonParser.ParseConns([Message(CapturedVici.ListConnsReceived[1])]).Should().ContainSingle().Subject;

        connection.Name.Should().Be("raven-gw-b");
        connection.LocalAddresses.Should().Equal("192.0.2.1");
        connection.RemoteAddresses.Should().Equal("192.0.2.2");
        (connection.Version, connection.DpdDelaySeconds, connection.LocalId, connection.RemoteId).Should().Be(("IKEv2", 15L, "gw-a", "gw-b"));
        connection.Children.Should().ContainSingle().Which.Should().BeEquivalentTo(new LoadedChild("pods", ["198.51.100.16/28"], ["198.51.100.32/28"]));
    }

    [Fact]
    public void Captured_updown_events_read_as_up_with_the_sa_and_for_child_updown_its_child()
    {
        var (ikeUp, ikeSa) = CharonParser.ParseUpDown(Message(CapturedVici.MonitorReceived[2]));
        var (childUp, childSa) = CharonParser.ParseUpDown(Message(CapturedVici.MonitorReceived[3]));

        (ikeUp, ikeSa.Connection, ikeSa.UniqueId, ikeSa.Children.Count).Should().Be((true, "raven-gw-b", 1u, 0));
        childUp.Should().BeTrue();
        childSa.Children.Should().ContainSingle().Which.State.Should().Be("INSTALLED");
    }

    [Fact]
    public void A_down_event_reads_as_down()
    {
        var down = new ViciSection().Add("up", "no").Add("raven-x", new ViciSection().Add("uniqueid", "7").Add("state", "DELETING"));

        var (up, sa) = CharonParser.ParseUpDown(down);

        (up, sa.Connection, sa.UniqueId, sa.IsEstablished).Should().Be((false, "raven-x", 7u, false));
    }

    [Fact]
    public void Missing_or_garbled_fields_are_reported_naming_the_field()
    {
        var noState = () => CharonParser.ParseIkeSa("raven-x", new ViciSection().Add("uniqueid", "1"));
        var badId = () => CharonParser.ParseIkeSa("raven-x", new ViciSection().Add("uniqueid", "one").Add("state", "CONNECTING"));
        var noSa = () => CharonParser.ParseUpDown(new ViciSection().Add("up", "yes"));

        noState.Should().Throw<FormatException>().WithMessage("*raven-x without state*");
        badId.Should().Throw<FormatException>().WithMessage("*uniqueid of raven-x is not a number: \"one\"*");
        noSa.Should().Throw<FormatException>().WithMessage("*without an SA section*");
    }
}
