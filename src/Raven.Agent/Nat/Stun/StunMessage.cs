using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Raven.Agent.Nat.Stun;

/// <summary>
/// A decoded message: header fields, the attributes in wire order (after MESSAGE-INTEGRITY only FINGERPRINT is
/// kept), and the raw bytes, which MESSAGE-INTEGRITY and FINGERPRINT are verified over. Typed reads never throw.
/// </summary>
public sealed class StunMessage
{
    private static readonly UTF8Encoding LenientUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    internal StunMessage(StunMessageType type, StunTransactionId transactionId, IReadOnlyList<StunAttribute> attributes, ReadOnlyMemory<byte> raw, int? integrityOffset, int? fingerprintOffset)
    {
        Type = type;
        TransactionId = transactionId;
        Attributes = attributes;
        Raw = raw;
        IntegrityOffset = integrityOffset;
        FingerprintOffset = fingerprintOffset;
    }

    public StunMessageType Type { get; }

    public StunTransactionId TransactionId { get; }

    public IReadOnlyList<StunAttribute> Attributes { get; }

    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header, when there is one.</summary>
    public int? IntegrityOffset { get; }

    /// <summary>Offset of the FINGERPRINT attribute header, when there is one.</summary>
    public int? FingerprintOffset { get; }

    public bool Has(ushort type) => Attributes.Any(a => a.Type == type);

    public StunAttribute? Find(ushort type)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Type == type)
            {
                return attribute;
            }
        }

        return null;
    }

    public StunRead<IPEndPoint> XorMappedAddress => Address(StunAttributeType.XorMappedAddress, xor: true);

    public StunRead<IPEndPoint> MappedAddress => Address(StunAttributeType.MappedAddress, xor: false);

    public StunRead<IPEndPoint> ResponseOrigin => Address(StunAttributeType.ResponseOrigin, xor: false);

    public StunRead<IPEndPoint> OtherAddress => Address(StunAttributeType.OtherAddress, xor: false);

    public StunRead<string> Software => Find(StunAttributeType.Software) is { } a
        ? a.Value.Length <= StunConstants.MaxTextBytes ? StunRead<string>.Ok(LenientUtf8.GetString(a.Value.Span)) : StunRead<string>.Bad($"SOFTWARE has {a.Value.Length} bytes, at most 763 allowed")
        : StunRead<string>.Missing;

    public StunRead<string> Username => Find(StunAttributeType.Username) is { } a
        ? a.Value.Length <= 513 ? StunRead<string>.Ok(LenientUtf8.GetString(a.Value.Span)) : StunRead<string>.Bad($"USERNAME has {a.Value.Length} bytes, at most 513 allowed")
        : StunRead<string>.Missing;

    public StunRead<StunErrorCode> ErrorCode
    {
        get
        {
            if (Find(StunAttributeType.ErrorCode) is not { } a)
            {
                return StunRead<StunErrorCode>.Missing;
            }

            var value = a.Value.Span;
            if (value.Length < 4 || value.Length > 4 + StunConstants.MaxTextBytes)
            {
                return StunRead<StunErrorCode>.Bad($"ERROR-CODE has {value.Length} bytes");
            }

            int errorClass = value[2] & 0x07;
            int number = value[3];
            if (errorClass is < 3 or > 6 || number > 99)
            {
                return StunRead<StunErrorCode>.Bad($"ERROR-CODE class {errorClass} number {number} is out of range");
            }

            return StunRead<StunErrorCode>.Ok(new StunErrorCode((errorClass * 100) + number, LenientUtf8.GetString(value[4..])));
        }
    }

    public StunRead<IReadOnlyList<ushort>> UnknownAttributes
    {
        get
        {
            if (Find(StunAttributeType.UnknownAttributes) is not { } a)
            {
                return StunRead<IReadOnlyList<ushort>>.Missing;
            }

            var value = a.Value.Span;
            if (value.Length % 2 != 0)
            {
                return StunRead<IReadOnlyList<ushort>>.Bad($"UNKNOWN-ATTRIBUTES has an odd length {value.Length}");
            }

            var types = new ushort[value.Length / 2];
            for (int i = 0; i < types.Length; i++)
            {
                types[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(2 * i)..]);
            }

            return StunRead<IReadOnlyList<ushort>>.Ok(types);
        }
    }

    public StunRead<StunChangeRequest> ChangeRequest
    {
        get
        {
            if (Find(StunAttributeType.ChangeRequest) is not { } a)
            {
                return StunRead<StunChangeRequest>.Missing;
            }

            return a.Value.Length == 4
                ? StunRead<StunChangeRequest>.Ok((StunChangeRequest)(BinaryPrimitives.ReadUInt32BigEndian(a.Value.Span) & 0x06))
                : StunRead<StunChangeRequest>.Bad($"CHANGE-REQUEST has {a.Value.Length} bytes, not 4");
        }
    }

    public StunRead<int> ResponsePort
    {
        get
        {
            if (Find(StunAttributeType.ResponsePort) is not { } a)
            {
                return StunRead<int>.Missing;
            }

            // RFC 5780 §7.5: a 16-bit port followed by two bytes of padding; some stacks send only the two port bytes.
            return a.Value.Length is 2 or 4
                ? StunRead<int>.Ok(BinaryPrimitives.ReadUInt16BigEndian(a.Value.Span))
                : StunRead<int>.Bad($"RESPONSE-PORT has {a.Value.Length} bytes");
        }
    }

    public override string ToString() => $"STUN {Type} {TransactionId} [{string.Join(", ", Attributes)}]";

    private StunRead<IPEndPoint> Address(ushort type, bool xor) =>
        Find(type) is { } a ? StunAddressCodec.Read(a.Value.Span, xor, TransactionId) : StunRead<IPEndPoint>.Missing;
}
