using CsCheck;
using System.Net;
using Raven.Agent.Nat;
using Raven.Agent.Nat.Stun;

namespace Raven.Agent.Tests.Nat;

public sealed class StunRequestHandlerTests
{
    private static readonly IPEndPoint Client = IPEndPoint.Parse("198.51.100.2:4500");
    private static readonly StunResponderLayout OneAddress = new(IPAddress.Parse("203.0.113.10"), null, 3478, 3479, 3480);
    private static readonly StunResponderLayout TwoAddresses = OneAddress with { SecondaryAddress = IPAddress.Parse("203.0.113.11") };
    private static readonly ResponderSocket Primary = new(false, ResponderPortRole.Primary);

    [Fact]
    public void A_binding_request_gets_its_source_in_xor_mapped_address_with_origin_other_address_and_fingerprint()
    {
        var (reply, answer) = Answer(Request(), OneAddress, Primary);

        reply.From.Should().Be(Primary);
        reply.IsError.Should().BeFalse();
        answer.Type.Should().Be(StunMessageType.BindingSuccess);
        answer.XorMappedAddress.Value.Should().Be(Client);
        answer.ResponseOrigin.Value.Should().Be(IPEndPoint.Parse("203.0.113.10:3478"));
        answer.OtherAddress.Value.Should().Be(IPEndPoint.Parse("203.0.113.10:3479"), "one address: only the port is other");
        StunIntegrity.VerifyFingerprint(answer).Should().BeTrue();
        reply.Datagram.Length.Should().Be(64);
    }

    [Theory]
    [InlineData(StunChangeRequest.ChangePort, false, false, ResponderPortRole.ChangeSource, "203.0.113.10:3480")]
    [InlineData(StunChangeRequest.ChangePort | StunChangeRequest.ChangeAddress, true, true, ResponderPortRole.ChangeSource, "203.0.113.11:3480")]
    [InlineData(StunChangeRequest.ChangeAddress, true, true, ResponderPortRole.Primary, "203.0.113.11:3478")]
    [InlineData(StunChangeRequest.None, true, false, ResponderPortRole.Primary, "203.0.113.10:3478")]
    public void Change_request_picks_the_socket_the_answer_leaves_from(StunChangeRequest change, bool twoAddresses, bool fromSecondary, ResponderPortRole fromRole, string origin)
    {
        var (reply, answer) = Answer(Request(change), twoAddresses ? TwoAddresses : OneAddress, Primary);

        reply.From.Should().Be(new ResponderSocket(fromSecondary, fromRole));
        answer.ResponseOrigin.Value.Should().Be(IPEndPoint.Parse(origin));
        if (twoAddresses)
        {
            answer.OtherAddress.Value.Should().Be(IPEndPoint.Parse("203.0.113.11:3479"));
        }
    }

    [Fact]
    public void A_change_of_address_without_a_second_address_is_refused_with_420()
    {
        var (reply, answer) = Answer(Request(StunChangeRequest.ChangeAddress | StunChangeRequest.ChangePort), OneAddress, Primary);

        reply.IsError.Should().BeTrue();
        answer.Type.Should().Be(StunMessageType.BindingError);
        answer.ErrorCode.Value!.Code.Should().Be(420);
        answer.UnknownAttributes.Value.Should().Equal(StunAttributeType.ChangeRequest);
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_and_response_port_get_420_listing_them()
    {
        var request = new StunMessageBuilder(StunMessageType.BindingRequest, StunTransactionId.NewRandom())
            .AddRaw(0x0024, new byte[4]).AddResponsePort(4000).AddRaw(0x8029, new byte[8]).ToArray();

        var (reply, answer) = Answer(request, OneAddress, Primary);

        reply.From.Should().Be(Primary);
        answer.ErrorCode.Value!.Code.Should().Be(420);
        answer.UnknownAttributes.Value.Should().Equal((ushort)0x0024, StunAttributeType.ResponsePort);
        reply.Datagram.Length.Should().BeLessThanOrEqualTo(StunRequestHandler.ReplyBudget(request.Length));
    }

    [Fact]
    public void Nothing_but_binding_requests_is_answered_and_nothing_on_the_send_only_port()
    {
        var id = StunTransactionId.NewRandom();
        byte[] indication = new StunMessageBuilder(new StunMessageType(1, StunClass.Indication), id).ToArray();
        byte[] response = new StunMessageBuilder(StunMessageType.BindingSuccess, id).AddXorMappedAddress(Client).ToArray();
        byte[] otherMethod = new StunMessageBuilder(new StunMessageType(3, StunClass.Request), id).ToArray();
        byte[] badFingerprint = Request();
        badFingerprint[^1] ^= 1;

        foreach (var datagram in new[] { indication, response, otherMethod, badFingerprint, "not stun at all, just text"u8.ToArray(), [] })
        {
            StunRequestHandler.Handle(datagram, Client, Primary, OneAddress).Should().BeNull();
        }

        StunRequestHandler.Handle(Request(), Client, new ResponderSocket(false, ResponderPortRole.ChangeSource), OneAddress).Should().BeNull();
    }

    [Fact]
    public void No_reply_is_ever_larger_than_max_of_request_and_64_bytes()
    {
        var v6Client = IPEndPoint.Parse("[2001:db8::2]:4500");
        var v6 = new StunResponderLayout(IPAddress.Parse("2001:db8::10"), IPAddress.Parse("2001:db8::11"), 3478, 3479, 3480);
        var bare = new StunMessageBuilder(StunMessageType.BindingRequest, StunTransactionId.NewRandom()).ToArray();

        var reply = StunRequestHandler.Handle(bare, v6Client, Primary, v6)!;

        reply.Datagram.Length.Should().BeLessThanOrEqualTo(64);
        var answer = StunDecoder.Decode(reply.Datagram).Message!;
        answer.XorMappedAddress.Value.Should().Be(v6Client, "the mandatory part is always there");

        var padded = StunClient.BuildRequest(StunTransactionId.NewRandom(), StunChangeRequest.None, System.Net.Sockets.AddressFamily.InterNetworkV6);
        var full = StunDecoder.Decode(StunRequestHandler.Handle(padded, v6Client, Primary, v6)!.Datagram).Message!;
        full.OtherAddress.IsValid.Should().BeTrue("a request padded to the answer's size gets the full answer");
        StunIntegrity.VerifyFingerprint(full).Should().BeTrue();
    }

    [Fact]
    public void Random_datagrams_never_throw_and_never_earn_a_reply_above_the_budget()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            if (bytes.Length >= 8)
            {
                // Make many of them look like STUN so the attribute paths run.
                bytes[0] = 0;
                bytes[1] = 1;
                bytes[4] = 0x21;
                bytes[5] = 0x12;
                bytes[6] = 0xA4;
                bytes[7] = 0x42;
            }

            if (bytes.Length >= 4)
            {
                bytes[2] = (byte)((bytes.Length - 20) >> 8);
                bytes[3] = (byte)(bytes.Length - 20);
            }

            var reply = StunRequestHandler.Handle(bytes, Client, Primary, TwoAddresses);
            if (reply is not null)
            {
                reply.Datagram.Length.Should().BeLessThanOrEqualTo(StunRequestHandler.ReplyBudget(bytes.Length));
            }
        });
    }

    [Theory]
    [InlineData(3478, 3478, 3480, "must differ")]
    [InlineData(0, 3479, 3480, "1..65535")]
    public void Layout_problems_name_the_fields(int primary, int alternate, int change, string expected)
    {
        new StunResponderLayout(IPAddress.Loopback, null, primary, alternate, change).Problem().Should().Contain(expected);
        OneAddress.Problem().Should().BeNull();
        (OneAddress with { SecondaryAddress = IPAddress.Parse("2001:db8::1") }).Problem().Should().Contain("same family");
    }

    private static byte[] Request(StunChangeRequest change = StunChangeRequest.None) =>
        StunClient.BuildRequest(StunTransactionId.NewRandom(), change, System.Net.Sockets.AddressFamily.InterNetwork);

    private static (ResponderReply Reply, StunMessage Answer) Answer(byte[] request, StunResponderLayout layout, ResponderSocket arrivedOn)
    {
        var reply = StunRequestHandler.Handle(request, Client, arrivedOn, layout);
        reply.Should().NotBeNull();
        var decoded = StunDecoder.Decode(reply!.Datagram);
        decoded.IsSuccess.Should().BeTrue(decoded.Detail);
        decoded.Message!.TransactionId.Should().Be(StunDecoder.Decode(request).Message!.TransactionId);
        return (reply, decoded.Message);
    }
}
