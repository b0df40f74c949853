using System.Buffers.Binary;

namespace Raven.Agent.Health.Protocol;

/// <summary>Why a datagram was not accepted; <see cref="Ok"/> when it was. Decoding never throws.</summary>
public enum ProbeDecodeStatus
{
    Ok,
    TooShort,
    BadMagic,
    UnsupportedVersion,
    UnknownType,
    UnknownAuth,
    BadLength,

    /// <summary>This side has a key and the datagram carries no MAC.</summary>
    MissingMac,

    /// <summary>This side has no key and the datagram carries a MAC it cannot check.</summary>
    UnexpectedMac,

    /// <summary>The MAC does not match: a different key, or a forged or corrupted datagram.</summary>
    BadMac,
}

/// <summary>
/// Encodes and decodes probe datagrams (docs/health-probes.md): 36-byte big-endian header, then a 16-byte truncated
/// HMAC-SHA256 over the header when a key is configured. Pure and allocation-free.
/// </summary>
public static class ProbeCodec
{
    /// <summary>The length a datagram has with or without a key.</summary>
    public static int LengthFor(ProbeKey? key) => key is null ? ProbeWire.HeaderLength : ProbeWire.AuthenticatedLength;

    /// <summary>Writes <paramref name="packet"/> into <paramref name="destination"/> and returns its length.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="LengthFor"/>.</exception>
    public static int Encode(in ProbePacket packet, ProbeKey? key, Span<byte> destination)
    {
        int length = LengthFor(key);
        if (destination.Length < length)
        {
            throw new ArgumentException($"probe datagram needs {length} bytes, buffer has {destination.Length}", nameof(destination));
        }

        var header = destination[..ProbeWire.HeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(header[ProbeWire.MagicOffset..], ProbeWire.Magic);
        header[ProbeWire.VersionOffset] = ProbeWire.Version;
        header[ProbeWire.TypeOffset] = (byte)packet.Type;
        header[ProbeWire.FlagsOffset] = (byte)packet.Flags;
        header[ProbeWire.AuthOffset] = (byte)(key is null ? ProbeAuth.None : ProbeAuth.HmacSha256Truncated128);
        header[ProbeWire.UplinkOffset] = packet.Uplink;
        header[ProbeWire.ReservedOffset] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[ProbeWire.SessionOffset..], packet.Session);
        BinaryPrimitives.WriteUInt32BigEndian(header[ProbeWire.SequenceOffset..], packet.Sequence);
        BinaryPrimitives.WriteUInt64BigEndian(header[ProbeWire.TimestampOffset..], packet.Timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(header[ProbeWire.NodeIdOffset..], packet.NodeId);
        BinaryPrimitives.WriteUInt32BigEndian(header[ProbeWire.EpochOffset..], packet.Epoch);
        key?.ComputeMac(header, destination.Slice(ProbeWire.HeaderLength, ProbeWire.MacLength));
        return length;
    }

    /// <summary>
    /// Reads one datagram. With a key only correctly authenticated datagrams are accepted; without one only
    /// unauthenticated ones. Reserved bits and the reserved byte are ignored, so they stay usable within version 1.
    /// </summary>
    public static ProbeDecodeStatus TryDecode(ReadOnlySpan<byte> datagram, ProbeKey? key, out ProbePacket packet)
    {
        packet = default;
        if (datagram.Length < ProbeWire.TypeOffset)
        {
            return ProbeDecodeStatus.TooShort;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(datagram) != ProbeWire.Magic)
        {
            return ProbeDecodeStatus.BadMagic;
        }

        if (datagram[ProbeWire.VersionOffset] != ProbeWire.Version)
        {
            return ProbeDecodeStatus.UnsupportedVersion;
        }

        if (datagram.Length < ProbeWire.HeaderLength)
        {
            return ProbeDecodeStatus.TooShort;
        }

        var type = (ProbeType)datagram[ProbeWire.TypeOffset];
        if (type is not ProbeType.Request and not ProbeType.Reply)
        {
            return ProbeDecodeStatus.UnknownType;
        }

        var auth = (ProbeAuth)datagram[ProbeWire.AuthOffset];
        int expected = auth switch
        {
            ProbeAuth.None => ProbeWire.HeaderLength,
            ProbeAuth.HmacSha256Truncated128 => ProbeWire.AuthenticatedLength,
            _ => -1,
        };
        if (expected < 0)
        {
            return ProbeDecodeStatus.UnknownAuth;
        }

        if (datagram.Length != expected)
        {
            return ProbeDecodeStatus.BadLength;
        }

        if (key is null && auth != ProbeAuth.None)
        {
            return ProbeDecodeStatus.UnexpectedMac;
        }

        if (key is not null)
        {
            if (auth == ProbeAuth.None)
            {
                return ProbeDecodeStatus.MissingMac;
            }

            if (!key.Verify(datagram[..ProbeWire.HeaderLength], datagram.Slice(ProbeWire.HeaderLength, ProbeWire.MacLength)))
            {
                return ProbeDecodeStatus.BadMac;
            }
        }

        const ProbeFlags known = ProbeFlags.Serving | ProbeFlags.Yielding | ProbeFlags.PunchReady | ProbeFlags.PunchDirect;
        packet = new ProbePacket(
            type,
            (ProbeFlags)datagram[ProbeWire.FlagsOffset] & known,
            BinaryPrimitives.ReadUInt32BigEndian(datagram[ProbeWire.SessionOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[ProbeWire.SequenceOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[ProbeWire.TimestampOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[ProbeWire.NodeIdOffset..]),
            datagram[ProbeWire.UplinkOffset],
            BinaryPrimitives.ReadUInt32BigEndian(datagram[ProbeWire.EpochOffset..]));
        return ProbeDecodeStatus.Ok;
    }

    /// <summary>True for statuses that mean "wrong or missing key" rather than "not a probe datagram".</summary>
    public static bool IsAuthenticationFailure(ProbeDecodeStatus status) =>
        status is ProbeDecodeStatus.MissingMac or ProbeDecodeStatus.UnexpectedMac or ProbeDecodeStatus.BadMac;
}
