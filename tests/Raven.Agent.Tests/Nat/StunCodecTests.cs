using System.Net;
using System.Text;
using CsCheck;
using Raven.Agent.Nat.Stun;

namespace Raven.Agent.Tests.Nat;

public sealed class StunCodecTests
{
    private static readonly byte[] Key = StunIntegrity.ShortTermKey(Rfc5769Vectors.Password);
    private static readonly StunTransactionId VectorId = StunTransactionId.Read(Convert.FromHexString(Rfc5769Vectors.TransactionIdHex));

    [Fact]
    public void Sample_request_decodes_and_its_integrity_and_fingerprint_verify()
    {
        var message = Decode(Rfc5769Vectors.Request);

        message.Type.Should().Be(StunMessageType.BindingRequest);
        message.TransactionId.Should().Be(VectorId);
        message.Software.Value.Should().Be("STUN test client");
        message.Username.Value.Should().Be(Rfc5769Vectors.Username);
        message.Attributes.Select(a => a.Type).Should().Equal(0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028);
        StunIntegrity.VerifyIntegrity(message, Key).Should().BeTrue();
        StunIntegrity.VerifyFingerprint(message).Should().BeTrue();
        StunIntegrity.VerifyIntegrity(message, "wrong"u8).Should().BeFalse();
    }

    [Fact]
    public void Sample_request_is_encoded_byte_for_byte()
    {
        var bytes = new StunMessageBuilder(StunMessageType.BindingRequest, VectorId) { PaddingByte = 0x20 }
            .AddSoftware("STUN test client")
            .AddRaw(0x0024, Convert.FromHexString("6e0001ff"))
            .AddRaw(0x8029, Convert.FromHexString("932ff9b151263b36"))
            .AddUsername(Rfc5769Vectors.Username)
            .AddMessageIntegrity(Key)
            .AddFingerprint()
            .ToArray();

        Convert.ToHexString(bytes).Should().Be(Convert.ToHexString(Rfc5769Vectors.Request));
    }

    [Theory]
    [InlineData(false, "192.0.2.1")]
    [InlineData(true, "2001:db8:1234:5678:11:2233:4455:6677")]
    public void Sample_responses_decode_verify_and_encode_byte_for_byte(bool ipv6, string address)
    {
        var vector = ipv6 ? Rfc5769Vectors.ResponseIPv6 : Rfc5769Vectors.ResponseIPv4;
        var mapped = new IPEndPoint(IPAddress.Parse(address), 32853);

        var message = Decode(vector);

        message.Type.Should().Be(StunMessageType.BindingSuccess);
        message.Software.Value.Should().Be("test vector");
        message.XorMappedAddress.Value.Should().Be(mapped);
        StunIntegrity.VerifyIntegrity(message, Key).Should().BeTrue();
        StunIntegrity.VerifyFingerprint(message).Should().BeTrue();

        var encoded = new StunMessageBuilder(StunMessageType.BindingSuccess, VectorId) { PaddingByte = 0x20 }
            .AddSoftware("test vector")
            .AddXorMappedAddress(mapped)
            .AddMessageIntegrity(Key)
            .AddFingerprint()
            .ToArray();
        Convert.ToHexString(encoded).Should().Be(Convert.ToHexString(vector));
    }

    [Fact]
    public void Any_flipped_bit_of_a_vector_fails_its_integrity_or_fingerprint_or_the_decoder()
    {
        var vector = Rfc5769Vectors.ResponseIPv4;
        for (int bit = 0; bit < vector.Length * 8; bit++)
        {
            var copy = (byte[])vector.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var result = StunDecoder.Decode(copy);
            if (result.Message is { } message)
            {
                (StunIntegrity.VerifyIntegrity(message, Key) && StunIntegrity.VerifyFingerprint(message))
                    .Should().BeFalse($"bit {bit} was flipped");
            }
        }
    }

    [Theory]
    [InlineData("", StunDecodeError.TooShort)]
    [InlineData("c001000021 12a442b7e7a701bc34d686fa87dfae", StunDecodeError.NotStun)]
    [InlineData("0001000221 12a442b7e7a701bc34d686fa87dfae0000", StunDecodeError.NotStun)]
    [InlineData("0001000001 12a442b7e7a701bc34d686fa87dfae", StunDecodeError.NoMagicCookie)]
    [InlineData("0001000421 12a442b7e7a701bc34d686fa87dfae", StunDecodeError.LengthMismatch)]
    [InlineData("0001000421 12a442b7e7a701bc34d686fa87dfae00200008", StunDecodeError.TruncatedAttribute)]
    [InlineData("0001001021 12a442b7e7a701bc34d686fa87dfae80280004000000000020000000000000", StunDecodeError.AttributeAfterFingerprint)]
    [InlineData("0001000821 12a442b7e7a701bc34d686fa87dfae8028000000000000", StunDecodeError.MalformedAttribute)]
    public void Malformed_input_is_a_failed_result_naming_the_problem(string hex, StunDecodeError expected)
    {
        var result = StunDecoder.Decode(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));

        result.IsSuccess.Should().BeFalse();
        result.Error.Should().Be(expected);
        result.Detail.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Attributes_between_message_integrity_and_fingerprint_are_ignored()
    {
        var id = StunTransactionId.NewRandom();
        var builder = new StunMessageBuilder(StunMessageType.BindingRequest, id).AddMessageIntegrity(Key);
        var bytes = builder.ToArray().ToList();
        // Splice a SOFTWARE attribute after MESSAGE-INTEGRITY by hand, then fix the length.
        bytes.AddRange(Convert.FromHexString("8022000461626364"));
        var raw = bytes.ToArray();
        raw[3] = (byte)(raw.Length - 20);

        var message = Decode(raw);

        message.Has(StunAttributeType.Software).Should().BeFalse();
        message.IntegrityOffset.Should().Be(20);
    }

    [Fact]
    public void Rfc5780_attributes_round_trip()
    {
        var id = StunTransactionId.NewRandom();
        var origin = IPEndPoint.Parse("203.0.113.10:3479");
        var other = IPEndPoint.Parse("[2001:db8::2]:3479");
        var bytes = new StunMessageBuilder(StunMessageType.BindingSuccess, id)
            .AddMappedAddress(IPEndPoint.Parse("198.51.100.7:4500"))
            .AddResponseOrigin(origin)
            .AddOtherAddress(other)
            .AddChangeRequest(StunChangeRequest.ChangeAddress | StunChangeRequest.ChangePort)
            .AddResponsePort(40000)
            .AddPadding(16)
            .AddErrorCode(new StunErrorCode(420, "Unknown Attribute"))
            .AddUnknownAttributes([0x0024, 0x0027, 0x7fff])
            .AddFingerprint()
            .ToArray();

        var message = Decode(bytes);

        message.MappedAddress.Value.Should().Be(IPEndPoint.Parse("198.51.100.7:4500"));
        message.ResponseOrigin.Value.Should().Be(origin);
        message.OtherAddress.Value.Should().Be(other);
        message.ChangeRequest.Value.Should().Be(StunChangeRequest.ChangeAddress | StunChangeRequest.ChangePort);
        message.ResponsePort.Value.Should().Be(40000);
        message.ErrorCode.Value.Should().Be(new StunErrorCode(420, "Unknown Attribute"));
        message.UnknownAttributes.Value.Should().Equal((ushort)0x0024, (ushort)0x0027, (ushort)0x7fff);
        StunIntegrity.VerifyFingerprint(message).Should().BeTrue();
    }

    [Fact]
    public void Message_type_interleaves_method_and_class_bits()
    {
        StunMessageType.BindingRequest.ToWire().Should().Be(0x0001);
        StunMessageType.BindingSuccess.ToWire().Should().Be(0x0101);
        StunMessageType.BindingError.ToWire().Should().Be(0x0111);
        new StunMessageType(0x001, StunClass.Indication).ToWire().Should().Be(0x0011);
        Gen.Int[0, 0xFFF].Select(Gen.Int[0, 3]).Sample((method, cls) =>
        {
            var type = new StunMessageType((ushort)method, (StunClass)cls);
            StunMessageType.FromWire(type.ToWire()).Should().Be(type);
        });
    }

    [Fact]
    public void Random_bytes_never_throw_out_of_the_decoder_or_the_typed_reads()
    {
        Gen.Byte.Array[0, 120].Sample(bytes => ReadEverything(bytes));
    }

    [Fact]
    public void Random_attribute_soup_behind_a_valid_header_never_throws()
    {
        ushort[] types = [0x0001, 0x0003, 0x0006, 0x0008, 0x0009, 0x000A, 0x0020, 0x0027, 0x8022, 0x8028, 0x802B, 0x802C, 0x1234];
        var attribute = Gen.Select(Gen.Int[0, types.Length - 1].Select(i => types[i]), Gen.Byte.Array[0, 24]);
        attribute.Array[0, 6].Sample(attributes =>
        {
            var body = new List<byte>();
            foreach (var (type, value) in attributes)
            {
                body.AddRange([(byte)(type >> 8), (byte)type, 0, (byte)value.Length]);
                body.AddRange(value);
                body.AddRange(new byte[((value.Length + 3) & ~3) - value.Length]);
            }

            var header = Convert.FromHexString("00010000" + "2112a442" + Rfc5769Vectors.TransactionIdHex);
            header[2] = (byte)(body.Count >> 8);
            header[3] = (byte)body.Count;
            ReadEverything([.. header, .. body]);
        });
    }

    [Fact]
    public void Built_messages_decode_to_what_was_written()
    {
        var endpoint = Gen.Select(Gen.Byte.Array[4, 4], Gen.Byte.Array[16, 16], Gen.Bool, Gen.Int[0, 65535])
            .Select((v4, v6, useV4, port) => new IPEndPoint(new IPAddress(useV4 ? v4 : v6), port));
        Gen.Select(endpoint, Gen.String[0, 40], Gen.Bool).Sample((mapped, software, fingerprint) =>
        {
            software = new string(software.Where(c => c is >= ' ' and <= '~').ToArray());
            var id = StunTransactionId.NewRandom();
            var builder = new StunMessageBuilder(StunMessageType.BindingSuccess, id).AddXorMappedAddress(mapped).AddSoftware(software);
            if (fingerprint)
            {
                builder.AddFingerprint();
            }

            var message = Decode(builder.ToArray());

            message.TransactionId.Should().Be(id);
            message.XorMappedAddress.Value.Should().Be(StunAddressCodec.Normalize(mapped));
            message.Software.Value.Should().Be(software);
            StunIntegrity.VerifyFingerprint(message).Should().Be(fingerprint);
        });
    }

    [Fact]
    public void Non_ascii_passwords_are_refused_rather_than_prepared_wrongly()
    {
        var act = () => StunIntegrity.ShortTermKey("pässword");
        act.Should().Throw<ArgumentException>().WithMessage("*ASCII*");
        Encoding.ASCII.GetString(StunIntegrity.ShortTermKey("abc")).Should().Be("abc");
    }

    private static StunMessage Decode(byte[] bytes)
    {
        var result = StunDecoder.Decode(bytes);
        result.IsSuccess.Should().BeTrue(result.Detail);
        return result.Message!;
    }

    private static void ReadEverything(byte[] bytes)
    {
        var result = StunDecoder.Decode(bytes);
        if (result.Message is not { } m)
        {
            result.Error.Should().NotBe(StunDecodeError.None);
            return;
        }

        _ = (m.XorMappedAddress, m.MappedAddress, m.ResponseOrigin, m.OtherAddress, m.Software, m.Username, m.ErrorCode,
            m.UnknownAttributes, m.ChangeRequest, m.ResponsePort, StunIntegrity.VerifyFingerprint(m), StunIntegrity.VerifyIntegrity(m, Key));
    }
}
