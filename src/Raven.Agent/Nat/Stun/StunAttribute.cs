namespace Raven.Agent.Nat.Stun;

/// <summary>One attribute as it was on the wire: its type and its value without padding.</summary>
/// <param name="Offset">Where the attribute header starts in the message.</param>
public readonly record struct StunAttribute(ushort Type, ReadOnlyMemory<byte> Value, int Offset)
{
    public override string ToString() => $"0x{Type:x4} ({Value.Length} bytes)";
}
