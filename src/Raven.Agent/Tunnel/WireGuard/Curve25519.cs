using System.Numerics;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// X25519 Diffie-Hellman function of RFC 7748 §5, written against <see cref="BigInteger"/> because no
/// cryptography package with X25519 is available here. Correct, but not constant-time: BigInteger arithmetic
/// leaks timing, which is acceptable for deriving a node's own public key once, not for a hot DH path.
/// </summary>
internal static class Curve25519
{
    public const int KeyLength = 32;

    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger A24 = 121665;
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

        Span<byte> u = stackalloc byte[KeyLength];
        uCoordinate.CopyTo(u);
        u[31] &= 0x7f;

        var result = Ladder(k, new BigInteger(u, isUnsigned: true, isBigEndian: false) % P);
        return Encode(result);
    }

    /// <summary>Applies the RFC 7748 §5 "decodeScalar25519" bit fixing in place.</summary>
    public static void Clamp(Span<byte> scalar)
    {
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
    }

    private static BigInteger Ladder(ReadOnlySpan<byte> k, BigInteger x1)
    {
        BigInteger x2 = BigInteger.One, z2 = BigInteger.Zero, x3 = x1, z3 = BigInteger.One;
        var swap = 0;
        for (var t = 254; t >= 0; t--)
        {
            var bit = (k[t >> 3] >> (t & 7)) & 1;
            swap ^= bit;
            ConditionalSwap(swap, ref x2, ref x3);
            ConditionalSwap(swap, ref z2, ref z3);
            swap = bit;

            var a = Mod(x2 + z2);
            var aa = Mod(a * a);
            var b = Mod(x2 - z2);
            var bb = Mod(b * b);
            var e = Mod(aa - bb);
            var c = Mod(x3 + z3);
            var d = Mod(x3 - z3);
            var da = Mod(d * a);
            var cb = Mod(c * b);
            var sum = da + cb;
            var difference = da - cb;
            x3 = Mod(sum * sum);
            z3 = Mod(x1 * Mod(difference * difference));
            x2 = Mod(aa * bb);
            z2 = Mod(e * (aa + (A24 * e)));
        }

        ConditionalSwap(swap, ref x2, ref x3);
        ConditionalSwap(swap, ref z2, ref z3);
        return Mod(x2 * BigInteger.ModPow(z2, P - 2, P));
    }

    private static void ConditionalSwap(int swap, ref BigInteger left, ref BigInteger right)
    {
        if (swap != 0)
        {
            (left, right) = (right, left);
        }
    }

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }

    private static byte[] Encode(BigInteger value)
    {
        var output = new byte[KeyLength];
        if (!value.TryWriteBytes(output, out _, isUnsigned: true, isBigEndian: false))
        {
            throw new InvalidOperationException("X25519 result does not fit in 32 bytes.");
        }

        return output;
    }

    private static byte[] CreateBasePoint()
    {
        var point = new byte[KeyLength];
        point[0] = 9;
        return point;
    }
}
