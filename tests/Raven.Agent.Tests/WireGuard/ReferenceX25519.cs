using System.Numerics;

namespace Raven.Agent.Tests.WireGuard;

/// <summary>
/// A slow, obviously-correct X25519 straight from the RFC 7748 §5 pseudocode on BigInteger, used as an oracle for
/// the fixed-time limb implementation on random and edge-case inputs.
/// </summary>
internal static class ReferenceX25519
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    public static byte[] ScalarMult(byte[] scalar, byte[] u)
    {
        var k = (byte[])scalar.Clone();
        k[0] &= 248;
        k[31] &= 127;
        k[31] |= 64;
        var uMasked = (byte[])u.Clone();
        uMasked[31] &= 127;
        var x1 = new BigInteger(uMasked, isUnsigned: true) % P;

        BigInteger x2 = 1, z2 = 0, x3 = x1, z3 = 1;
        var swap = 0;
        for (var t = 254; t >= 0; t--)
        {
            var bit = (k[t >> 3] >> (t & 7)) & 1;
            swap ^= bit;
            if (swap == 1)
            {
                (x2, x3) = (x3, x2);
                (z2, z3) = (z3, z2);
            }

            swap = bit;
            var a = x2 + z2;
            var aa = a * a % P;
            var b = x2 - z2;
            var bb = b * b % P;
            var e = aa - bb;
            var c = x3 + z3;
            var d = x3 - z3;
            var da = d * a % P;
            var cb = c * b % P;
            x3 = BigInteger.Pow(da + cb, 2) % P;
            z3 = x1 * BigInteger.Pow(da - cb, 2) % P;
            x2 = aa * bb % P;
            z2 = e * (aa + (121665 * e)) % P;
        }

        if (swap == 1)
        {
            (x2, z2) = (x3, z3);
        }

        var result = x2 * BigInteger.ModPow(((z2 % P) + P) % P, P - 2, P) % P;
        result = (result + P) % P;
        var output = new byte[32];
        result.TryWriteBytes(output, out _, isUnsigned: true);
        return output;
    }
}
