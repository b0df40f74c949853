using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Raven.Agent.Nat.Stun;

/// <summary>
/// Writes one STUN message: the header, attributes in the order added (padded to 4 bytes), then optionally
/// MESSAGE-INTEGRITY and FINGERPRINT, which must come last in that order.
/// </summary>
public sealed class StunMessageBuilder
{
    private readonly StunTransactionId transactionId;
    private byte[] buffer = new byte[128];
    private int length = StunConstants.HeaderLength;
    private bool integrityAdded;
    private bool fingerprintAdded;

    public StunMessageBuilder(StunMessageType type, StunTransactionId transactionId)
    {
        this.transactionId = transactionId;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type.ToWire());
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), StunConstants.MagicCookie);
        transactionId.Write(buffer.AsSpan(8));
    }

    /// <summary>
    /// The value written into padding. RFC 5389 lets senders use any value (receivers ignore it); RFC 5769's
    /// vectors use 0x20, so reproducing them byte for byte needs this.
    /// </summary>
    public byte PaddingByte { get; init; }

    /// <summary>Bytes written so far (header included).</summary>
    public int Length => length;

    public StunMessageBuilder AddRaw(ushort type, ReadOnlySpan<byte> value)
    {
        if (integrityAdded || fingerprintAdded)
        {
            throw new InvalidOperationException("attributes cannot follow MESSAGE-INTEGRITY or FINGERPRINT");
        }

        WriteAttribute(type, value);
        return this;
    }

    public StunMessageBuilder AddXorMappedAddress(IPEndPoint endpoint) => AddAddress(StunAttributeType.XorMappedAddress, endpoint, xor: true);

    public StunMessageBuilder AddMappedAddress(IPEndPoint endpoint) => AddAddress(StunAttributeType.MappedAddress, endpoint, xor: false);

    public StunMessageBuilder AddResponseOrigin(IPEndPoint endpoint) => AddAddress(StunAttributeType.ResponseOrigin, endpoint, xor: false);

    public StunMessageBuilder AddOtherAddress(IPEndPoint endpoint) => AddAddress(StunAttributeType.OtherAddress, endpoint, xor: false);

    public StunMessageBuilder AddSoftware(string software) => AddText(StunAttributeType.Software, software);

    public StunMessageBuilder AddUsername(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        var bytes = Encoding.UTF8.GetBytes(username);
        return bytes.Length > 513 ? throw new ArgumentException("USERNAME is at most 513 bytes", nameof(username)) : AddRaw(StunAttributeType.Username, bytes);
    }

    public StunMessageBuilder AddChangeRequest(StunChangeRequest change)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, (uint)change & 0x06);
        return AddRaw(StunAttributeType.ChangeRequest, value);
    }

    public StunMessageBuilder AddResponsePort(int port)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(value, checked((ushort)port));
        value[2] = value[3] = 0;
        return AddRaw(StunAttributeType.ResponsePort, value);
    }

    /// <summary>A PADDING attribute (RFC 5780 §7.6) whose whole attribute, header included, takes this many bytes.</summary>
    public StunMessageBuilder AddPadding(int attributeBytes)
    {
        if (attributeBytes < StunConstants.AttributeHeaderLength || attributeBytes % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(attributeBytes), attributeBytes, "a multiple of 4, at least 4");
        }

        return AddRaw(StunAttributeType.Padding, new byte[attributeBytes - StunConstants.AttributeHeaderLength]);
    }

    public StunMessageBuilder AddErrorCode(StunErrorCode error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Code is < 300 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(error), error.Code, "STUN error codes are 300..699");
        }

        var reason = Encoding.UTF8.GetBytes(error.Reason);
        if (reason.Length > StunConstants.MaxTextBytes)
        {
            throw new ArgumentException("the reason phrase is at most 763 bytes", nameof(error));
        }

        var value = new byte[4 + reason.Length];
        value[2] = (byte)(error.Code / 100);
        value[3] = (byte)(error.Code % 100);
        reason.CopyTo(value, 4);
        return AddRaw(StunAttributeType.ErrorCode, value);
    }

    public StunMessageBuilder AddUnknownAttributes(IReadOnlyList<ushort> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var value = new byte[types.Count * 2];
        for (int i = 0; i < types.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(2 * i), types[i]);
        }

        return AddRaw(StunAttributeType.UnknownAttributes, value);
    }

    public StunMessageBuilder AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (integrityAdded || fingerprintAdded)
        {
            throw new InvalidOperationException("MESSAGE-INTEGRITY is added once, before FINGERPRINT");
        }

        SetLengthField(length + StunConstants.AttributeHeaderLength + StunIntegrity.HmacLength);
        var hmac = StunIntegrity.Hmac(key, buffer.AsSpan(0, length));
        WriteAttribute(StunAttributeType.MessageIntegrity, hmac);
        integrityAdded = true;
        return this;
    }

    public StunMessageBuilder AddFingerprint()
    {
        if (fingerprintAdded)
        {
            throw new InvalidOperationException("FINGERPRINT is added once, last");
        }

        SetLengthField(length + StunConstants.AttributeHeaderLength + 4);
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, StunIntegrity.Fingerprint(buffer.AsSpan(0, length)));
        WriteAttribute(StunAttributeType.Fingerprint, value);
        fingerprintAdded = true;
        return this;
    }

    public byte[] ToArray()
    {
        SetLengthField(length);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Bytes an attribute with a value of this length adds, header and padding included.</summary>
    public static int AttributeSize(int valueLength) => StunConstants.AttributeHeaderLength + ((valueLength + 3) & ~3);

    private StunMessageBuilder AddAddress(ushort type, IPEndPoint endpoint, bool xor)
    {
        Span<byte> value = stackalloc byte[20];
        int valueLength = StunAddressCodec.ValueLength(StunAddressCodec.Normalize(endpoint));
        StunAddressCodec.Write(value, endpoint, xor, transactionId);
        return AddRaw(type, value[..valueLength]);
    }

    private StunMessageBuilder AddText(ushort type, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > StunConstants.MaxTextBytes || text.Length >= 128)
        {
            throw new ArgumentException("STUN text attributes have fewer than 128 characters and at most 763 bytes", nameof(text));
        }

        return AddRaw(type, bytes);
    }

    private void WriteAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("an attribute value has at most 65535 bytes", nameof(value));
        }

        int size = AttributeSize(value.Length);
        if (length + size - StunConstants.HeaderLength > StunConstants.MaxMessageLength)
        {
            throw new InvalidOperationException("a STUN message has at most 65535 bytes of attributes");
        }

        Ensure(length + size);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(length), type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(length + 2), (ushort)value.Length);
        value.CopyTo(buffer.AsSpan(length + StunConstants.AttributeHeaderLength));
        buffer.AsSpan(length + StunConstants.AttributeHeaderLength + value.Length, size - StunConstants.AttributeHeaderLength - value.Length).Fill(PaddingByte);
        length += size;
    }

    private void SetLengthField(int totalLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)(totalLength - StunConstants.HeaderLength));

    private void Ensure(int capacity)
    {
        if (buffer.Length < capacity)
        {
            Array.Resize(ref buffer, Math.Max(capacity, buffer.Length * 2));
        }
    }
}
