using System.Buffers.Binary;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// An element of GF(2^255 - 19) in five 51-bit limbs (the curve25519-donna-c64 layout). Every operation runs the
/// same instructions whatever the values, so the X25519 ladder does not leak the private scalar through timing.
/// Limbs stay below 2^52 between operations, so 128-bit products and their sums cannot overflow.
/// </summary>
internal readonly struct Field25519
{
    private const ulong Mask51 = (1UL << 51) - 1;

    private readonly ulong l0, l1, l2, l3, l4;

    private Field25519(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        this.l0 = l0;
        this.l1 = l1;
        this.l2 = l2;
        this.l3 = l3;
        this.l4 = l4;
    }

    public static Field25519 Zero => default;

    public static Field25519 One => new(1, 0, 0, 0, 0);

    /// <summary>Decodes 32 little-endian bytes, ignoring the top bit as RFC 7748 requires for u-coordinates.</summary>
    public static Field25519 FromBytes(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(bytes) & Mask51,
        (BinaryPrimitives.ReadUInt64LittleEndian(bytes[6..]) >> 3) & Mask51,
        (BinaryPrimitives.ReadUInt64LittleEndian(bytes[12..]) >> 6) & Mask51,
        (BinaryPrimitives.ReadUInt64LittleEndian(bytes[19..]) >> 1) & Mask51,
        (BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]) >> 12) & Mask51);

    public static Field25519 operator +(Field25519 a, Field25519 b) =>
        Carry(a.l0 + b.l0, a.l1 + b.l1, a.l2 + b.l2, a.l3 + b.l3, a.l4 + b.l4);

    /// <summary>Adds 4p before subtracting so no limb goes negative.</summary>
    public static Field25519 operator -(Field25519 a, Field25519 b) =>
        Carry(
            a.l0 + ((1UL << 53) - 76) - b.l0,
            a.l1 + ((1UL << 53) - 4) - b.l1,
            a.l2 + ((1UL << 53) - 4) - b.l2,
            a.l3 + ((1UL << 53) - 4) - b.l3,
            a.l4 + ((1UL << 53) - 4) - b.l4);

    public static Field25519 operator *(Field25519 a, Field25519 b)
    {
        // 2^255 = 19 (mod p), so limb products that land at or above 2^255 fold back multiplied by 19.
        ulong b1x19 = b.l1 * 19, b2x19 = b.l2 * 19, b3x19 = b.l3 * 19, b4x19 = b.l4 * 19;
        var r0 = M(a.l0, b.l0) + M(a.l1, b4x19) + M(a.l2, b3x19) + M(a.l3, b2x19) + M(a.l4, b1x19);
        var r1 = M(a.l0, b.l1) + M(a.l1, b.l0) + M(a.l2, b4x19) + M(a.l3, b3x19) + M(a.l4, b2x19);
        var r2 = M(a.l0, b.l2) + M(a.l1, b.l1) + M(a.l2, b.l0) + M(a.l3, b4x19) + M(a.l4, b3x19);
        var r3 = M(a.l0, b.l3) + M(a.l1, b.l2) + M(a.l2, b.l1) + M(a.l3, b.l0) + M(a.l4, b4x19);
        var r4 = M(a.l0, b.l4) + M(a.l1, b.l3) + M(a.l2, b.l2) + M(a.l3, b.l1) + M(a.l4, b.l0);
        return Carry(r0, r1, r2, r3, r4);
    }

    public static Field25519 operator *(Field25519 a, uint small)
    {
        return Carry(M(a.l0, small), M(a.l1, small), M(a.l2, small), M(a.l3, small), M(a.l4, small));
    }

    public Field25519 Square() => this * this;

    /// <summary>a^(p-2) = a^-1 by Fermat; the exponent is public, so the branch on its bits leaks nothing.</summary>
    public Field25519 Invert()
    {
        // p - 2 = 2^255 - 21: bits 254..5 are 1, bits 4..0 are 01011.
        var result = One;
        for (var bit = 254; bit >= 0; bit--)
        {
            result = result.Square();
            if (bit >= 5 || ((0b01011 >> bit) & 1) == 1)
            {
                result *= this;
            }
        }

        return result;
    }

    /// <summary>Swaps a and b when swap is 1, without branching on it.</summary>
    public static void ConditionalSwap(ref Field25519 a, ref Field25519 b, ulong swap)
    {
        var mask = 0UL - swap;
        var x0 = mask & (a.l0 ^ b.l0);
        var x1 = mask & (a.l1 ^ b.l1);
        var x2 = mask & (a.l2 ^ b.l2);
        var x3 = mask & (a.l3 ^ b.l3);
        var x4 = mask & (a.l4 ^ b.l4);
        a = new Field25519(a.l0 ^ x0, a.l1 ^ x1, a.l2 ^ x2, a.l3 ^ x3, a.l4 ^ x4);
        b = new Field25519(b.l0 ^ x0, b.l1 ^ x1, b.l2 ^ x2, b.l3 ^ x3, b.l4 ^ x4);
    }

    /// <summary>Encodes the fully reduced value (0 ≤ x &lt; p) as 32 little-endian bytes.</summary>
    public void WriteBytes(Span<byte> output)
    {
        var t = Carry(l0, l1, l2, l3, l4);
        t = Carry(t.l0, t.l1, t.l2, t.l3, t.l4);

        // Now 0 ≤ t < 2^255 + small. Adding 19 and then 2^255 - 19 (one 2^51 per limb) and dropping bit 255
        // subtracts p exactly when t ≥ p.
        var c = Carry(t.l0 + 19, t.l1, t.l2, t.l3, t.l4);
        ulong r0 = c.l0 + (1UL << 51) - 19, r1 = c.l1 + (1UL << 51) - 1, r2 = c.l2 + (1UL << 51) - 1;
        ulong r3 = c.l3 + (1UL << 51) - 1, r4 = c.l4 + (1UL << 51) - 1;
        r1 += r0 >> 51;
        r0 &= Mask51;
        r2 += r1 >> 51;
        r1 &= Mask51;
        r3 += r2 >> 51;
        r2 &= Mask51;
        r4 += r3 >> 51;
        r3 &= Mask51;
        r4 &= Mask51;

        BinaryPrimitives.WriteUInt64LittleEndian(output, r0 | (r1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], (r1 >> 13) | (r2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(output[16..], (r2 >> 26) | (r3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(output[24..], (r3 >> 39) | (r4 << 12));
    }

    private static UInt128 M(ulong a, ulong b) => (UInt128)a * b;

    private static Field25519 Carry(UInt128 r0, UInt128 r1, UInt128 r2, UInt128 r3, UInt128 r4)
    {
        r1 += r0 >> 51;
        var c0 = (ulong)r0 & Mask51;
        r2 += r1 >> 51;
        var c1 = (ulong)r1 & Mask51;
        r3 += r2 >> 51;
        var c2 = (ulong)r2 & Mask51;
        r4 += r3 >> 51;
        var c3 = (ulong)r3 & Mask51;
        var c4 = (ulong)r4 & Mask51;
        c0 += (ulong)(r4 >> 51) * 19;
        c1 += c0 >> 51;
        c0 &= Mask51;
        return new Field25519(c0, c1, c2, c3, c4);
    }
}
