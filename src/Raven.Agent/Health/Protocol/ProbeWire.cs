namespace Raven.Agent.Health.Protocol;

/// <summary>
/// Fixed facts of the data-plane probe protocol, version 1 (docs/health-probes.md). Changing any of them breaks
/// every peer that speaks version 1: add a version instead.
/// </summary>
public static class ProbeWire
{
    /// <summary>UDP port of the responder: next to Raven's VXLAN port 4472, free in every Raven and OpenYurt port list.</summary>
    public const int DefaultPort = 4473;

    /// <summary>"RV" in ASCII, first on the wire, so a stray datagram is told apart before anything else is read.</summary>
    public const ushort Magic = 0x5256;

    public const byte Version = 1;

    /// <summary>Every version-1 datagram starts with this header; without authentication it is the whole datagram.</summary>
    public const int HeaderLength = 36;

    /// <summary>HMAC-SHA256 truncated to 128 bits (as RFC 4868 truncates for IPsec), appended after the header.</summary>
    public const int MacLength = 16;

    public const int AuthenticatedLength = HeaderLength + MacLength;

    /// <summary>The largest version-1 datagram: a buffer this size holds any request or reply.</summary>
    public const int MaxLength = AuthenticatedLength;

    internal const int MagicOffset = 0;
    internal const int VersionOffset = 2;
    internal const int TypeOffset = 3;
    internal const int FlagsOffset = 4;
    internal const int AuthOffset = 5;
    internal const int UplinkOffset = 6;
    internal const int ReservedOffset = 7;
    internal const int SessionOffset = 8;
    internal const int SequenceOffset = 12;
    internal const int TimestampOffset = 16;
    internal const int NodeIdOffset = 24;
    internal const int EpochOffset = 32;
}

/// <summary>What a datagram is.</summary>
public enum ProbeType : byte
{
    Request = 1,
    Reply = 2,
}

/// <summary>
/// A reply's statement about the responder's own role in its domain; a request's statement about the prober's punched
/// path to the responder's domain (docs/nat-traversal.md, "Switching together"). A version-1 peer that predates a flag
/// ignores it.
/// </summary>
[Flags]
public enum ProbeFlags : byte
{
    None = 0,

    /// <summary>The responder carries its domain's traffic (it is the serving gateway at <see cref="ProbePacket.Epoch"/>).</summary>
    Serving = 1,

    /// <summary>The responder still serves but offers the domain to a higher-priority gateway, which may take over now.</summary>
    Yielding = 2,

    /// <summary>Request: the prober's punched path to the responder answers and is the cheaper one; it switches as soon as the responder is ready too.</summary>
    PunchReady = 4,

    /// <summary>Request: the prober sends the responder's domain's traffic through the punched path now.</summary>
    PunchDirect = 8,
}

/// <summary>How a datagram is authenticated.</summary>
public enum ProbeAuth : byte
{
    None = 0,
    HmacSha256Truncated128 = 1,
}
