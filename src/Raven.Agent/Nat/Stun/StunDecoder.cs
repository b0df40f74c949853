using System.Buffers.Binary;

namespace Raven.Agent.Nat.Stun;

/// <summary>
/// Pure RFC 5389 decoder. Checks the header (two zero bits, a length that is a multiple of 4 and matches the
/// datagram, the magic cookie), walks the attributes (each fits, padding to 4 ignored whatever its value), ignores
/// attributes after MESSAGE-INTEGRITY other than FINGERPRINT, and requires FINGERPRINT to be last. Malformed input
/// gives a failed result, never an exception.
/// </summary>
public static class StunDecoder
{
    public static StunDecodeResult Decode(ReadOnlyMemory<byte> datagram)
    {
        var span = datagram.Span;
        if (span.Length < StunConstants.HeaderLength)
        {
            return StunDecodeResult.Fail(StunDecodeError.TooShort, $"{span.Length} bytes, a STUN header has 20");
        }

        if ((span[0] & 0xC0) != 0)
        {
            return StunDecodeResult.Fail(StunDecodeError.NotStun, "the two most significant bits are not zero");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        if (length % 4 != 0)
        {
            return StunDecodeResult.Fail(StunDecodeError.NotStun, $"message length {length} is not a multiple of 4");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(span[4..]) != StunConstants.MagicCookie)
        {
            return StunDecodeResult.Fail(StunDecodeError.NoMagicCookie, "no RFC 5389 magic cookie (an RFC 3489 message, or not STUN)");
        }

        if (StunConstants.HeaderLength + length != span.Length)
        {
            return StunDecodeResult.Fail(StunDecodeError.LengthMismatch, $"header says {length} bytes of attributes, datagram has {span.Length - StunConstants.HeaderLength}");
        }

        var type = StunMessageType.FromWire(BinaryPrimitives.ReadUInt16BigEndian(span));
        var transactionId = StunTransactionId.Read(span.Slice(8, StunTransactionId.Length));
        var attributes = new List<StunAttribute>();
        int? integrityOffset = null;
        int? fingerprintOffset = null;
        int offset = StunConstants.HeaderLength;
        while (offset < span.Length)
        {
            if (fingerprintOffset is not null)
            {
                return StunDecodeResult.Fail(StunDecodeError.AttributeAfterFingerprint, "FINGERPRINT is not the last attribute");
            }

            if (span.Length - offset < StunConstants.AttributeHeaderLength)
            {
                return StunDecodeResult.Fail(StunDecodeError.TruncatedAttribute, $"attribute header at offset {offset} is cut off");
            }

            ushort attributeType = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]);
            int padded = (valueLength + 3) & ~3;
            if (span.Length - offset - StunConstants.AttributeHeaderLength < padded)
            {
                return StunDecodeResult.Fail(StunDecodeError.TruncatedAttribute, $"attribute 0x{attributeType:x4} at offset {offset} claims {valueLength} bytes, past the end");
            }

            var attribute = new StunAttribute(attributeType, datagram.Slice(offset + StunConstants.AttributeHeaderLength, valueLength), offset);
            if (attributeType == StunAttributeType.Fingerprint)
            {
                if (valueLength != 4)
                {
                    return StunDecodeResult.Fail(StunDecodeError.MalformedAttribute, $"FINGERPRINT has {valueLength} bytes, not 4");
                }

                fingerprintOffset = offset;
                attributes.Add(attribute);
            }
            else if (integrityOffset is null)
            {
                if (attributeType == StunAttributeType.MessageIntegrity)
                {
                    if (valueLength != StunIntegrity.HmacLength)
                    {
                        return StunDecodeResult.Fail(StunDecodeError.MalformedAttribute, $"MESSAGE-INTEGRITY has {valueLength} bytes, not 20");
                    }

                    integrityOffset = offset;
                }

                attributes.Add(attribute);
            }

            // Attributes between MESSAGE-INTEGRITY and FINGERPRINT are skipped, as RFC 5389 §15.4 requires.
            offset += StunConstants.AttributeHeaderLength + padded;
        }

        return StunDecodeResult.Ok(new StunMessage(type, transactionId, attributes, datagram, integrityOffset, fingerprintOffset));
    }
}
