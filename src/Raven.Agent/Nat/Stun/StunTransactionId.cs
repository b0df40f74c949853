using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Raven.Agent.Nat.Stun;

/// <summary>The 96-bit transaction id; random ids are what make off-path response spoofing impractical.</summary>
public readonly record struct StunTransactionId(ulong High, uint Low)
{
    public const int Length = 12;

    public static StunTransactionId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public static StunTransactionId Read(ReadOnlySpan<byte> twelveBytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(twelveBytes), BinaryPrimitives.ReadUInt32BigEndian(twelveBytes[8..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Low);
    }

    public override string ToString() => $"{High:x16}{Low:x8}";
}
