using System.Security.Cryptography;
using NSec.Cryptography;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// A 32-byte WireGuard key (private, public or preshared). Base64 is the human and Kubernetes form
/// (Gateway <c>config.publicKey</c>); lower-case hex is the UAPI wire form.
/// </summary>
public sealed class WireGuardKey : IEquatable<WireGuardKey>
{
    public const int Length = 32;
    private const int Base64Length = 44;

    private readonly byte[] bytes;

    private WireGuardKey(byte[] bytes) => this.bytes = bytes;

    /// <summary>The all-zero key, which UAPI uses to mean "no preshared key".</summary>
    public static WireGuardKey Zero { get; } = new(new byte[Length]);

    public bool IsZero => bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    public ReadOnlySpan<byte> AsSpan() => bytes;

    public static WireGuardKey FromBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
        {
            throw new ArgumentException($"A WireGuard key is {Length} bytes, got {value.Length}.", nameof(value));
        }

        return new WireGuardKey(value.ToArray());
    }

    /// <summary>Generates a random private key, clamped as RFC 7748 and the WireGuard tools do.</summary>
    public static WireGuardKey GeneratePrivateKey()
    {
        var key = RandomNumberGenerator.GetBytes(Length);
        // RFC 7748 "decodeScalar25519" bit fixing, stored clamped like `wg genkey` does.
        key[0] &= 248;
        key[31] &= 127;
        key[31] |= 64;
        return new WireGuardKey(key);
    }

    /// <summary>Generates a random preshared key (no clamping: it is not a curve scalar).</summary>
    public static WireGuardKey GeneratePresharedKey() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>
    /// Derives the public key, treating this key as a private key: X25519 of the scalar and the base point, computed
    /// by libsodium (through NSec), which clamps the scalar itself, so an unclamped stored key derives the same public
    /// key as WireGuard does.
    /// </summary>
    public WireGuardKey PublicKey()
    {
        using var privateKey = Key.Import(KeyAgreementAlgorithm.X25519, bytes, KeyBlobFormat.RawPrivateKey);
        return new WireGuardKey(privateKey.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public static WireGuardKey ParseBase64(string text) =>
        TryParseBase64(text, out var key)
            ? key
            : throw new FormatException($"Invalid WireGuard key \"{Truncate(text)}\": expected {Base64Length} base64 characters encoding {Length} bytes.");

    public static bool TryParseBase64(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WireGuardKey? key)
    {
        key = null;
        if (text is null || text.Length != Base64Length)
        {
            return false;
        }

        var buffer = new byte[Length + 1];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written != Length)
        {
            return false;
        }

        key = new WireGuardKey(buffer[..Length]);
        return true;
    }

    public static WireGuardKey ParseHex(string text)
    {
        if (text.Length != Length * 2)
        {
            throw new FormatException($"Invalid WireGuard hex key \"{Truncate(text)}\": expected {Length * 2} hex digits.");
        }

        try
        {
            return new WireGuardKey(Convert.FromHexString(text));
        }
        catch (FormatException)
        {
            throw new FormatException($"Invalid WireGuard hex key \"{Truncate(text)}\": not hexadecimal.");
        }
    }

    public string ToBase64() => Convert.ToBase64String(bytes);

    public string ToHex() => Convert.ToHexStringLower(bytes);

    public override string ToString() => ToBase64();

    public bool Equals(WireGuardKey? other) => other is not null && bytes.AsSpan().SequenceEqual(other.bytes);

    public override bool Equals(object? obj) => Equals(obj as WireGuardKey);

    public override int GetHashCode() => BitConverter.ToInt32(bytes, 0);

    private static string Truncate(string? text) => text is null ? "<null>" : text.Length <= 48 ? text : text[..48] + "…";
}
