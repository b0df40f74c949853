using Raven.Agent.Nat.Stun;
using System.Net;

namespace Raven.Agent.Nat;

/// <summary>What to send in answer to one datagram: the bytes and the socket they leave from.</summary>
public sealed record ResponderReply(ResponderSocket From, byte[] Datagram, bool IsError);

/// <summary>
/// Pure core of the responder: one datagram in, at most one datagram out. Answers RFC 5389 binding requests with
/// XOR-MAPPED-ADDRESS and, room permitting, RESPONSE-ORIGIN, OTHER-ADDRESS and FINGERPRINT; honours RFC 5780
/// CHANGE-REQUEST by choosing the socket; refuses unknown comprehension-required attributes, RESPONSE-PORT and a
/// change of address it cannot make with 420. Never answers anything else (indications, responses, garbage), never
/// answers on the send-only change-source port, and never sends more than <see cref="ReplyBudget"/> allows.
/// </summary>
public static class StunRequestHandler
{
    /// <summary>Every reply fits in max(request length, this): the full IPv4 answer is exactly 64 bytes.</summary>
    public const int MinimumReplyBudget = 64;

    /// <summary>Attributes a request may carry that this responder understands (or ignores knowingly).</summary>
    private static readonly HashSet<ushort> Understood =
    [
        StunAttributeType.ChangeRequest,
        StunAttributeType.Padding,
        StunAttributeType.Username,
        StunAttributeType.MessageIntegrity,
    ];

    public static int ReplyBudget(int requestLength) => Math.Max(requestLength, MinimumReplyBudget);

    public static ResponderReply? Handle(ReadOnlyMemory<byte> datagram, IPEndPoint source, ResponderSocket arrivedOn, StunResponderLayout layout)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(layout);
        if (arrivedOn.Role == ResponderPortRole.ChangeSource)
        {
            return null;
        }

        var decoded = StunDecoder.Decode(datagram);
        if (decoded.Message is not { } request || request.Type != StunMessageType.BindingRequest)
        {
            return null;
        }

        if (request.FingerprintOffset is not null && !StunIntegrity.VerifyFingerprint(request))
        {
            return null;
        }

        source = StunAddressCodec.Normalize(source);
        int budget = ReplyBudget(datagram.Length);
        var unknown = request.Attributes
            .Select(a => a.Type)
            .Where(t => StunAttributeType.IsComprehensionRequired(t) && !Understood.Contains(t))
            .Distinct()
            .ToList();
        if (unknown.Count > 0)
        {
            return UnknownAttributes(request, arrivedOn, unknown, budget);
        }

        var change = request.ChangeRequest;
        if (change.Found && !change.IsValid)
        {
            return Error(request, arrivedOn, new StunErrorCode(StunErrorCode.BadRequest, "Bad CHANGE-REQUEST"), null, budget);
        }

        var wanted = change.Value;
        if (wanted.HasFlag(StunChangeRequest.ChangeAddress) && layout.SecondaryAddress is null)
        {
            // RFC 5780 §7.2: a server without an alternate address answers a change of address with 420.
            return UnknownAttributes(request, arrivedOn, [StunAttributeType.ChangeRequest], budget);
        }

        var from = new ResponderSocket(
            wanted.HasFlag(StunChangeRequest.ChangeAddress) ? !arrivedOn.Secondary : arrivedOn.Secondary,
            wanted.HasFlag(StunChangeRequest.ChangePort) ? ResponderPortRole.ChangeSource : arrivedOn.Role);
        var builder = new StunMessageBuilder(StunMessageType.BindingSuccess, request.TransactionId).AddXorMappedAddress(source);
        AddIfRoom(builder, budget, StunBuilderSizes.Address(layout.EndpointOf(from)), b => b.AddResponseOrigin(layout.EndpointOf(from)));
        var other = layout.OtherAddress(arrivedOn.Secondary);
        AddIfRoom(builder, budget, StunBuilderSizes.Address(other), b => b.AddOtherAddress(other));
        AddIfRoom(builder, budget, StunBuilderSizes.Fingerprint, b => b.AddFingerprint());
        return new ResponderReply(from, builder.ToArray(), IsError: false);
    }

    private static ResponderReply UnknownAttributes(StunMessage request, ResponderSocket arrivedOn, IReadOnlyList<ushort> unknown, int budget) =>
        Error(request, arrivedOn, new StunErrorCode(StunErrorCode.UnknownAttribute, "Unknown Attribute"), unknown, budget);

    private static ResponderReply Error(StunMessage request, ResponderSocket arrivedOn, StunErrorCode error, IReadOnlyList<ushort>? unknown, int budget)
    {
        var builder = new StunMessageBuilder(StunMessageType.BindingError, request.TransactionId).AddErrorCode(error);
        if (unknown is not null)
        {
            // As many of the unknown types as fit; the list is for diagnosis, and a request naming many cannot
            // make the answer grow.
            int room = (budget - builder.Length - StunConstants.AttributeHeaderLength - StunBuilderSizes.Fingerprint) / 2;
            builder.AddUnknownAttributes(unknown.Take(Math.Max(1, room & ~1)).ToList());
        }

        AddIfRoom(builder, budget, StunBuilderSizes.Fingerprint, b => b.AddFingerprint());
        return new ResponderReply(arrivedOn, builder.ToArray(), IsError: true);
    }

    private static void AddIfRoom(StunMessageBuilder builder, int budget, int size, Action<StunMessageBuilder> add)
    {
        if (builder.Length + size <= budget)
        {
            add(builder);
        }
    }
}

internal static class StunBuilderSizes
{
    public const int Fingerprint = 8;

    public static int Address(IPEndPoint endpoint) => StunMessageBuilder.AttributeSize(StunAddressCodec.ValueLength(StunAddressCodec.Normalize(endpoint)));
}
