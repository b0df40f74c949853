using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Raven.Agent.Nat.Stun;

/// <summary>
/// MESSAGE-INTEGRITY (HMAC-SHA1 with the short-term credential key, RFC 5389 §15.4) and FINGERPRINT (CRC-32 XOR
/// 0x5354554e, §15.5). Both are computed over the message up to the attribute, with the header's length field
/// counting up to and including the attribute itself.
/// </summary>
public static class StunIntegrity
{
    public const int HmacLength = 20;

    /// <summary>
    /// The short-term credential key: SASLprep(password). SASLprep leaves printable ASCII unchanged; other
    /// passwords are refused rather than prepared wrongly.
    /// </summary>
    public static byte[] ShortTermKey(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException("STUN passwords must be printable ASCII (SASLprep of anything else is not implemented)", nameof(password));
        }

        return Encoding.ASCII.GetBytes(password);
    }

    public static uint Fingerprint(ReadOnlySpan<byte> messagePrefix) => Crc32.HashToUInt32(messagePrefix) ^ StunConstants.FingerprintXor;

    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> messagePrefix) => HMACSHA1.HashData(key, messagePrefix);

    /// <summary>True when the message has a FINGERPRINT and it matches; false when it is absent or wrong.</summary>
    public static bool VerifyFingerprint(StunMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.FingerprintOffset is not { } offset)
        {
            return false;
        }

        var raw = message.Raw.Span;
        uint expected = BinaryPrimitives.ReadUInt32BigEndian(raw[(offset + StunConstants.AttributeHeaderLength)..]);
        return Fingerprint(raw[..offset]) == expected;
    }

    /// <summary>True when the message has a MESSAGE-INTEGRITY and it matches under the key.</summary>
    public static bool VerifyIntegrity(StunMessage message, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.IntegrityOffset is not { } offset)
        {
            return false;
        }

        var raw = message.Raw.Span;
        var prefix = raw[..offset].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(2), (ushort)(offset + StunConstants.AttributeHeaderLength + HmacLength - StunConstants.HeaderLength));
        var actual = Hmac(key, prefix);
        return CryptographicOperations.FixedTimeEquals(actual, raw.Slice(offset + StunConstants.AttributeHeaderLength, HmacLength));
    }
}
