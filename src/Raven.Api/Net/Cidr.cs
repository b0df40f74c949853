using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Raven.Api.Net;

/// <summary>
/// An IPv4 or IPv6 prefix in canonical form (host bits cleared). IPv4 lives in the low 32 bits of
/// <see cref="Bits"/> so both families share one arithmetic; the family flag keeps them apart.
/// </summary>
public readonly record struct Cidr : IComparable<Cidr>
{
    private Cidr(UInt128 bits, int prefixLength, bool isIPv6)
    {
        Bits = bits;
        PrefixLength = prefixLength;
        IsIPv6 = isIPv6;
    }

    public UInt128 Bits { get; }

    public int PrefixLength { get; }

    public bool IsIPv6 { get; }

    public int AddressBits => IsIPv6 ? 128 : 32;

    public UInt128 First => Bits;

    public UInt128 Last => Bits | HostMask(AddressBits - PrefixLength);

    public IPAddress Network => ToAddress(Bits, IsIPv6);

    public static Cidr Create(UInt128 bits, int prefixLength, bool isIPv6)
    {
        var width = isIPv6 ? 128 : 32;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, width);
        if (!isIPv6 && bits > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), "an IPv4 prefix must fit in 32 bits");
        }

        return new Cidr(bits & ~HostMask(width - prefixLength), prefixLength, isIPv6);
    }

    /// <summary>The /32 (IPv4) or /128 (IPv6) prefix holding exactly <paramref name="address"/>.</summary>
    public static Cidr Host(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var isIPv6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        return new Cidr(ToBits(address), isIPv6 ? 128 : 32, isIPv6);
    }

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr, out var error) ? cidr : throw new FormatException(error);

    /// <summary>Parses "a.b.c.d/n" or "x::y/n"; host bits are cleared, as Go's net.ParseCIDR does.</summary>
    public static bool TryParse(string? text, out Cidr cidr, out string error)
    {
        cidr = default;
        var trimmed = text?.Trim() ?? "";
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            error = $"\"{text}\" is not a CIDR: expected address/prefix-length";
            return false;
        }

        if (!TryParseAddress(trimmed[..slash], out var address))
        {
            error = $"\"{text}\" is not a CIDR: bad address";
            return false;
        }

        var width = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (!int.TryParse(trimmed.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) ||
            prefix > width)
        {
            error = $"\"{text}\" is not a CIDR: prefix length must be 0..{width}";
            return false;
        }

        cidr = Create(ToBits(address), prefix, width == 128);
        error = "";
        return true;
    }

    /// <summary>
    /// Strict address syntax, as Go's net.ParseIP: full dotted quads ("10.0.0" is not 10.0.0.0) and no IPv6 zone.
    /// </summary>
    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text) || text.Contains('%', StringComparison.Ordinal) ||
            !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        var isV4 = parsed.AddressFamily == AddressFamily.InterNetwork;
        if ((isV4 && !IsStrictDottedQuad(text)) || (!isV4 && parsed.AddressFamily != AddressFamily.InterNetworkV6))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>Four decimal octets without leading zeros: .NET also takes "1.2.3", "0x7f.1.1.1" and "010.1.1.1".</summary>
    private static bool IsStrictDottedQuad(string text)
    {
        var octets = text.Split('.');
        return octets.Length == 4 && octets.All(o => o.Length is > 0 and <= 3 && o.All(char.IsAsciiDigit) && (o.Length == 1 || o[0] != '0'));
    }

    public bool Contains(IPAddress address) => Contains(Host(address));

    public bool Contains(Cidr other) =>
        other.IsIPv6 == IsIPv6 && other.PrefixLength >= PrefixLength && other.First >= First && other.Last <= Last;

    public bool Overlaps(Cidr other) => Contains(other) || other.Contains(this);

    public int CompareTo(Cidr other)
    {
        var byFamily = IsIPv6.CompareTo(other.IsIPv6);
        if (byFamily != 0)
        {
            return byFamily;
        }

        var byBits = Bits.CompareTo(other.Bits);
        return byBits != 0 ? byBits : PrefixLength.CompareTo(other.PrefixLength);
    }

    public static bool operator <(Cidr left, Cidr right) => left.CompareTo(right) < 0;

    public static bool operator >(Cidr left, Cidr right) => left.CompareTo(right) > 0;

    public static bool operator <=(Cidr left, Cidr right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Cidr left, Cidr right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Network}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    internal static UInt128 HostMask(int hostBits) =>
        hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - UInt128.One;

    public static UInt128 ToBits(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"cannot read address {address}", nameof(address));
        }

        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : new UInt128(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public static IPAddress ToAddress(UInt128 bits, bool isIPv6)
    {
        if (!isIPv6)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)bits);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(v6, (ulong)(bits >> 64));
        BinaryPrimitives.WriteUInt64BigEndian(v6[8..], (ulong)bits);
        return new IPAddress(v6);
    }
}
