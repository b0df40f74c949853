namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// X25519 Diffie-Hellman function of RFC 7748 §5 (no cryptography package with X25519 is available here).
/// The Montgomery ladder swaps without branches and the field arithmetic is fixed-time, so the private scalar
/// does not show in timing.
/// </summary>
internal static class Curve25519
{
    public const int KeyLength = 32;

    private const uint A24 = 121665;
    private static readonly byte[] BasePoint = CreateBasePoint();

    /// <summary>Computes the public key (scalar times base point u = 9) for a 32-byte private scalar.</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> privateKey) => ScalarMult(privateKey, BasePoint);

    /// <summary>RFC 7748 X25519(k, u): clamps the scalar, masks the top bit of u, runs the Montgomery ladder.</summary>
    public static byte[] ScalarMult(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> uCoordinate)
    {
        if (scalar.Length != KeyLength)
        {
            throw new ArgumentException($"X25519 scalar must be {KeyLength} bytes, got {scalar.Length}.", nameof(scalar));
        }

        if (uCoordinate.Length != KeyLength)
        {
            throw new ArgumentException($"X25519 u-coordinate must be {KeyLength} bytes, got {uCoordinate.Length}.", nameof(uCoordinate));
        }

        Span<byte> k = stackalloc byte[KeyLength];
        scalar.CopyTo(k);
        Clamp(k);

        var output = new byte[KeyLength];
        Ladder(k, Field25519.FromBytes(uCoordinate)).WriteBytes(output);
        k.Clear();
        return output;
    }

    /// <summary>Applies the RFC 7748 §5 "decodeScalar25519" bit fixing in place.</summary>
    public static void Clamp(Span<byte> scalar)
    {
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
    }

    private static Field25519 Ladder(ReadOnlySpan<byte> k, Field25519 x1)
    {
        Field25519 x2 = Field25519.One, z2 = Field25519.Zero, x3 = x1, z3 = Field25519.One;
        ulong swap = 0;
        for (var t = 254; t >= 0; t--)
        {
            var bit = (ulong)((k[t >> 3] >> (t & 7)) & 1);
            swap ^= bit;
            Field25519.ConditionalSwap(ref x2, ref x3, swap);
            Field25519.ConditionalSwap(ref z2, ref z3, swap);
            swap = bit;

            var a = x2 + z2;
            var aa = a.Square();
            var b = x2 - z2;
            var bb = b.Square();
            var e = aa - bb;
            var c = x3 + z3;
            var d = x3 - z3;
            var da = d * a;
            var cb = c * b;
            x3 = (da + cb).Square();
            z3 = x1 * (da - cb).Square();
            x2 = aa * bb;
            z2 = e * (aa + (e * A24));
        }

        Field25519.ConditionalSwap(ref x2, ref x3, swap);
        Field25519.ConditionalSwap(ref z2, ref z3, swap);
        return x2 * z2.Invert();
    }

    private static byte[] CreateBasePoint()
    {
        var point = new byte[KeyLength];
        point[0] = 9;
        return point;
    }
}
