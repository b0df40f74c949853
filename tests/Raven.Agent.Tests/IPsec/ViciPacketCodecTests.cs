using Raven.Agent.Tunnel.IPsec;

namespace Raven.Agent.Tests.IPsec;

public sealed class ViciPacketCodecTests
{
    public static TheoryData<string, string> CapturedSegments()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in typeof(CapturedVici).GetFields().Where(f => f.FieldType == typeof(string[])))
        {
            var segments = (string[])field.GetValue(null)!;
            for (var i = 0; i < segments.Length; i++)
            {
                data.Add($"{field.Name}[{i}]", segments[i]);
            }
        }

        return data;
    }

    /// <summary>Every packet charon and libvici put on the wire decodes, and re-encodes to exactly the same bytes.</summary>
    [Theory]
    [MemberData(nameof(CapturedSegments))]
    public void Every_captured_segment_round_trips_byte_for_byte(string exchange, string segment)
    {
        var bytes = CapturedVici.Bytes(segment);
        ViciPacketCodec.ReadLength(bytes).Should().Be(bytes.Length - 4, exchange);

        var packet = ViciPacketCodec.Decode(bytes.AsSpan(4));

        ViciPacketCodec.Encode(packet).Should().Equal(bytes, exchange);
    }

    [Fact]
    public void A_version_request_encodes_as_charon_received_it_and_the_answer_reads_as_5_9_8()
    {
        ViciPacketCodec.Encode(ViciPacket.Request("version")).Should().Equal(CapturedVici.Bytes(CapturedVici.VersionSent[0]));

        var answer = ViciPacketCodec.Decode(CapturedVici.Payload(CapturedVici.VersionReceived[0]));

        answer.Type.Should().Be(ViciPacketType.CommandResponse);
        answer.Name.Should().BeNull();
        (answer.Message!.Text("daemon"), answer.Message.Text("version"), answer.Message.Text("sysname"))
            .Should().Be(("charon", "5.9.8", "Linux"));
    }

    [Fact]
    public void Registration_packets_and_their_answers()
    {
        ViciPacketCodec.Encode(ViciPacket.Register("ike-updown")).Should().Equal(CapturedVici.Bytes(CapturedVici.RegisterUnregisterSent[0]));
        ViciPacketCodec.Encode(ViciPacket.Unregister("ike-updown")).Should().Equal(CapturedVici.Bytes(CapturedVici.RegisterUnregisterSent[1]));
        ViciPacketCodec.Decode(CapturedVici.Payload(CapturedVici.RegisterUnregisterReceived[0])).Type.Should().Be(ViciPacketType.EventConfirm);
        ViciPacketCodec.Decode(CapturedVici.Payload(CapturedVici.UnknownEventReceived[0])).Type.Should().Be(ViciPacketType.EventUnknown);
        ViciPacketCodec.Decode(CapturedVici.Payload(CapturedVici.UnknownCommandReceived[0])).Type.Should().Be(ViciPacketType.CommandUnknown);
    }

    [Fact]
    public void A_streamed_event_is_named_and_carries_its_message()
    {
        var listSa = ViciPacketCodec.Decode(CapturedVici.Payload(CapturedVici.ListSasReceived[1]));

        listSa.Type.Should().Be(ViciPacketType.Event);
        listSa.Name.Should().Be("list-sa");
        listSa.Message!.Sections().Select(s => s.Key).Should().Equal("raven-gw-b");
    }

    [Theory]
    [InlineData("", "Empty VICI packet")]
    [InlineData("08", "Unknown VICI packet type 8")]
    [InlineData("00", "truncated name")]
    [InlineData("0005 7665", "truncated name")]
    [InlineData("05 00", "1 unexpected trailing bytes")]
    public void Malformed_packets_are_rejected(string hex, string problem)
    {
        var decode = () => ViciPacketCodec.Decode(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));

        decode.Should().Throw<FormatException>().WithMessage($"*{problem}*");
    }

    [Theory]
    [InlineData("00000000")]
    [InlineData("00080001")]
    public void Segment_lengths_charon_never_sends_are_refused(string prefix)
    {
        var read = () => ViciPacketCodec.ReadLength(Convert.FromHexString(prefix));

        read.Should().Throw<FormatException>().WithMessage("*outside 1-524288*");
    }

    [Fact]
    public void Packets_are_checked_against_their_type()
    {
        var unnamedRequest = () => ViciPacketCodec.Encode(new ViciPacket(ViciPacketType.CommandRequest));
        var namedConfirm = () => ViciPacketCodec.Encode(new ViciPacket(ViciPacketType.EventConfirm, "x"));
        var tooLarge = () => ViciPacketCodec.Encode(ViciPacket.Request("load-cert", new ViciSection()
            .Add("a", new ViciValue(new byte[60000])).Add("b", new ViciValue(new byte[60000])).Add("c", new ViciValue(new byte[60000]))
            .Add("d", new ViciValue(new byte[60000])).Add("e", new ViciValue(new byte[60000])).Add("f", new ViciValue(new byte[60000]))
            .Add("g", new ViciValue(new byte[60000])).Add("h", new ViciValue(new byte[60000])).Add("i", new ViciValue(new byte[60000]))));

        unnamedRequest.Should().Throw<ArgumentException>().WithMessage("*needs a name*");
        namedConfirm.Should().Throw<ArgumentException>().WithMessage("*has no name*");
        tooLarge.Should().Throw<ArgumentException>().WithMessage("*at most 524288*");
    }
}
