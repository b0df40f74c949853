using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// The wire format is pinned by vectors computed outside this code base (Python hashlib/hmac: HKDF-SHA256 by hand,
/// HMAC-SHA256 truncated): a change of layout, byte order, key derivation or MAC breaks them, as it would break peers.
/// </summary>
public sealed class ProbeCodecTests
{
    private const string Psk = "raven-test-psk";
    private const string PlainRequest = "525601010000000001020304000000051122334455667788b44dd539892523eb00000000";
    private const string AuthenticatedRequest =
        "525601010001000001020304000000051122334455667788b44dd539892523eb0000000031b7bcd5d94b9535fe9956ec4d1852c0";
    private const string AuthenticatedReply =
        "525601020101020001020304000000051122334455667788c37102cf1fb04d99000000077ad518c06f2a67af5dbb08bda2712a71";

    private static readonly ProbeKey Key = ProbeKey.FromPresharedKey(Psk);
    private static readonly ProbePacket Request = ProbePacket.Request(0x01020304, 5, 0x1122334455667788, ProbeNodeId.Of("hz-1"));
    private static readonly ProbePacket Reply = Request.ReplyFrom(ProbeNodeId.Of("hz-2"), new GatewayClaim(true, false, 7, 2));

    [Fact]
    public void Node_id_and_key_fingerprint_match_the_independent_computation()
    {
        ProbeNodeId.Format(ProbeNodeId.Of("hz-1")).Should().Be("b44dd539892523eb");
        Key.Fingerprint.Should().Be("26feebb9");
    }

    [Theory]
    [InlineData(false, false, PlainRequest)]
    [InlineData(false, true, AuthenticatedRequest)]
    [InlineData(true, true, AuthenticatedReply)]
    public void Encoding_matches_the_vectors(bool reply, bool authenticated, string expectedHex)
    {
        var buffer = new byte[ProbeWire.MaxLength];
        int length = ProbeCodec.Encode(reply ? Reply : Request, authenticated ? Key : null, buffer);

        Convert.ToHexStringLower(buffer, 0, length).Should().Be(expectedHex);
    }

    [Theory]
    [InlineData(false, false, PlainRequest)]
    [InlineData(false, true, AuthenticatedRequest)]
    [InlineData(true, true, AuthenticatedReply)]
    public void Decoding_the_vectors_gives_the_packets_back(bool reply, bool authenticated, string hex)
    {
        ProbeCodec.TryDecode(Convert.FromHexString(hex), authenticated ? Key : null, out var packet).Should().Be(ProbeDecodeStatus.Ok);

        packet.Should().Be(reply ? Reply : Request);
        if (reply)
        {
            packet.Claim.Should().Be(new GatewayClaim(true, false, 7, 2));
        }
    }

    [Fact]
    public void Every_field_round_trips_at_its_extremes()
    {
        var packets = new[]
        {
            new ProbePacket(ProbeType.Reply, ProbeFlags.Serving | ProbeFlags.Yielding, uint.MaxValue, uint.MaxValue, ulong.MaxValue, ulong.MaxValue, 255, uint.MaxValue),
            new ProbePacket(ProbeType.Request, ProbeFlags.None, 0, 0, 0, 0, 0, 0),
            ProbePacket.Request(1, 2, 3, 4).ReplyFrom(5, new GatewayClaim(true, true, 6, 7)),
        };
        var buffer = new byte[ProbeWire.MaxLength];
        foreach (var key in new[] { null, Key })
        {
            foreach (var packet in packets)
            {
                int length = ProbeCodec.Encode(packet, key, buffer);
                length.Should().Be(ProbeCodec.LengthFor(key));
                ProbeCodec.TryDecode(buffer.AsSpan(0, length), key, out var decoded).Should().Be(ProbeDecodeStatus.Ok);
                decoded.Should().Be(packet);
            }
        }
    }

    [Fact]
    public void A_reply_is_exactly_as_long_as_its_request_so_the_responder_never_amplifies()
    {
        var buffer = new byte[ProbeWire.MaxLength];
        foreach (var key in new[] { null, Key })
        {
            int request = ProbeCodec.Encode(Request, key, buffer);
            int reply = ProbeCodec.Encode(Request.ReplyFrom(ulong.MaxValue, new GatewayClaim(true, true, uint.MaxValue, 255)), key, buffer);
            reply.Should().Be(request);
        }
    }

    [Fact]
    public void A_requests_punch_state_round_trips_and_a_reply_never_echoes_it()
    {
        var key = ProbeKey.FromPresharedKey("codec-psk");
        var buffer = new byte[ProbeWire.MaxLength];
        var request = ProbePacket.Request(7, 9, 11, 13, ProbeFlags.PunchReady | ProbeFlags.Serving);

        int length = ProbeCodec.Encode(request, key, buffer);
        ProbeCodec.TryDecode(buffer.AsSpan(0, length), key, out var decoded).Should().Be(ProbeDecodeStatus.Ok);
        var reply = decoded.ReplyFrom(21, new GatewayClaim(true, false, 2, 1));

        request.Flags.Should().Be(ProbeFlags.PunchReady, "a request carries punch flags only");
        decoded.Punch.Should().Be(ProbeFlags.PunchReady);
        reply.Punch.Should().Be(ProbeFlags.None);
        reply.Claim.Should().Be(new GatewayClaim(true, false, 2, 1));
    }

    [Fact]
    public void Yielding_is_only_sent_together_with_serving()
    {
        new GatewayClaim(false, true, 3, 1).Flags.Should().Be(ProbeFlags.None);
        new GatewayClaim(true, true, 3, 1).Flags.Should().Be(ProbeFlags.Serving | ProbeFlags.Yielding);
    }

    public static TheoryData<string, string, ProbeDecodeStatus> Malformed() => new()
    {
        { "empty", "", ProbeDecodeStatus.TooShort },
        { "two bytes", "5256", ProbeDecodeStatus.TooShort },
        { "header cut short", PlainRequest[..70], ProbeDecodeStatus.TooShort },
        { "other magic", "5257" + PlainRequest[4..], ProbeDecodeStatus.BadMagic },
        { "version 0", "525600" + PlainRequest[6..], ProbeDecodeStatus.UnsupportedVersion },
        { "version 2, even if longer", "525602" + PlainRequest[6..] + "00000000", ProbeDecodeStatus.UnsupportedVersion },
        { "version 2, short", "525602", ProbeDecodeStatus.UnsupportedVersion },
        { "type 0", "52560100" + PlainRequest[8..], ProbeDecodeStatus.UnknownType },
        { "type 3", "52560103" + PlainRequest[8..], ProbeDecodeStatus.UnknownType },
        { "auth 2", PlainRequest[..10] + "02" + PlainRequest[12..], ProbeDecodeStatus.UnknownAuth },
        { "trailing byte", PlainRequest + "00", ProbeDecodeStatus.BadLength },
        { "MAC cut short", AuthenticatedRequest[..^2], ProbeDecodeStatus.BadLength },
        { "auth 1 without MAC", PlainRequest[..10] + "01" + PlainRequest[12..], ProbeDecodeStatus.BadLength },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_datagrams_are_rejected_with_the_reason(string what, string hex, ProbeDecodeStatus expected)
    {
        ProbeCodec.TryDecode(Convert.FromHexString(hex), null, out var packet).Should().Be(expected, what);
        packet.Should().Be(default(ProbePacket));
    }

    [Fact]
    public void Without_a_key_only_unauthenticated_datagrams_are_accepted()
    {
        ProbeCodec.TryDecode(Convert.FromHexString(AuthenticatedRequest), null, out _).Should().Be(ProbeDecodeStatus.UnexpectedMac);
        ProbeCodec.TryDecode(Convert.FromHexString(PlainRequest), null, out _).Should().Be(ProbeDecodeStatus.Ok);
    }

    [Fact]
    public void With_a_key_a_missing_wrong_or_altered_mac_is_rejected()
    {
        ProbeCodec.TryDecode(Convert.FromHexString(PlainRequest), Key, out _).Should().Be(ProbeDecodeStatus.MissingMac);
        ProbeCodec.TryDecode(Convert.FromHexString(AuthenticatedRequest), ProbeKey.FromPresharedKey("other-psk"), out _)
            .Should().Be(ProbeDecodeStatus.BadMac);

        var datagram = Convert.FromHexString(AuthenticatedReply);
        for (int i = 0; i < datagram.Length; i++)
        {
            if (i is ProbeWire.AuthOffset or ProbeWire.MagicOffset or ProbeWire.MagicOffset + 1
                or ProbeWire.VersionOffset or ProbeWire.TypeOffset)
            {
                continue;
            }

            var altered = (byte[])datagram.Clone();
            altered[i] ^= 0x01;
            ProbeCodec.TryDecode(altered, Key, out _).Should().Be(ProbeDecodeStatus.BadMac, $"byte {i} was flipped");
        }
    }

    [Fact]
    public void Reserved_byte_and_unknown_flag_bits_are_ignored_on_receipt()
    {
        var datagram = Convert.FromHexString(PlainRequest);
        datagram[ProbeWire.ReservedOffset] = 0xaa;
        datagram[ProbeWire.FlagsOffset] = 0x80 | (byte)ProbeFlags.Serving;

        ProbeCodec.TryDecode(datagram, null, out var packet).Should().Be(ProbeDecodeStatus.Ok);
        packet.Flags.Should().Be(ProbeFlags.Serving);
    }

    [Fact]
    public void Random_datagrams_never_throw_and_are_never_accepted_with_a_key()
    {
        var random = new Random(4473);
        var datagram = new byte[ProbeWire.MaxLength + 8];
        for (int i = 0; i < 20_000; i++)
        {
            int length = random.Next(datagram.Length + 1);
            random.NextBytes(datagram);
            if (i % 2 == 0 && length >= 4)
            {
                // Half of them look like version-1 datagrams, so the later checks run too.
                datagram[0] = 0x52;
                datagram[1] = 0x56;
                datagram[2] = 1;
            }

            ProbeCodec.TryDecode(datagram.AsSpan(0, length), Key, out _).Should().NotBe(ProbeDecodeStatus.Ok);
            _ = ProbeCodec.TryDecode(datagram.AsSpan(0, length), null, out _);
        }
    }

    [Fact]
    public void Encoding_into_a_short_buffer_is_a_clear_argument_error()
    {
        var act = () => ProbeCodec.Encode(Request, Key, new byte[ProbeWire.HeaderLength]);
        act.Should().Throw<ArgumentException>().WithMessage("*needs 52 bytes*");
    }

    [Fact]
    public void The_key_comes_from_VPN_CONNECTION_PSK_and_is_absent_without_it()
    {
        ProbeKey.FromEnvironment(_ => null).Should().BeNull();
        ProbeKey.FromEnvironment(_ => "").Should().BeNull();
        ProbeKey.FromEnvironment(name => name == "VPN_CONNECTION_PSK" ? Psk : null)!.Fingerprint.Should().Be(Key.Fingerprint);
        ProbeKey.FromPresharedKey("other-psk").Fingerprint.Should().NotBe(Key.Fingerprint);
    }
}
