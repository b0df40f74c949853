namespace Raven.Agent.Nat.Stun;

/// <summary>Wire constants of RFC 5389 (STUN) and RFC 5780 (NAT behaviour discovery).</summary>
public static class StunConstants
{
    public const int HeaderLength = 20;
    public const int AttributeHeaderLength = 4;
    public const uint MagicCookie = 0x2112A442;

    /// <summary>XORed into the CRC-32 of a FINGERPRINT (RFC 5389 §15.5: the bytes "STUN").</summary>
    public const uint FingerprintXor = 0x5354554E;

    /// <summary>SOFTWARE and ERROR-CODE reason phrases: fewer than 128 characters, at most 763 bytes.</summary>
    public const int MaxTextBytes = 763;

    public const int MaxMessageLength = ushort.MaxValue;
}

/// <summary>Attribute types this codec reads or writes. Types below 0x8000 are comprehension-required.</summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort ChangeRequest = 0x0003;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Padding = 0x0026;
    public const ushort ResponsePort = 0x0027;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort ResponseOrigin = 0x802B;
    public const ushort OtherAddress = 0x802C;

    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
}
