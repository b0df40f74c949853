namespace Raven.Agent.Nat.Stun;

public enum StunClass
{
    Request = 0,
    Indication = 1,
    SuccessResponse = 2,
    ErrorResponse = 3,
}

/// <summary>
/// A STUN message type: a 12-bit method and a 2-bit class interleaved into 14 bits (RFC 5389 §6: the class bits sit
/// at positions 4 and 8, the method bits around them).
/// </summary>
public readonly record struct StunMessageType(ushort Method, StunClass Class)
{
    public const ushort BindingMethod = 0x001;

    public static StunMessageType BindingRequest => new(BindingMethod, StunClass.Request);

    public static StunMessageType BindingSuccess => new(BindingMethod, StunClass.SuccessResponse);

    public static StunMessageType BindingError => new(BindingMethod, StunClass.ErrorResponse);

    public ushort ToWire()
    {
        if (Method > 0x0FFF)
        {
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "a STUN method has 12 bits");
        }

        int c = (int)Class;
        return (ushort)((Method & 0x000F) | ((Method & 0x0070) << 1) | ((Method & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
    }

    /// <summary>Decodes the 14 low bits; the two top bits must be zero (checked by the decoder).</summary>
    public static StunMessageType FromWire(ushort value)
    {
        var method = (ushort)((value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80));
        var cls = (StunClass)(((value >> 4) & 1) | ((value >> 7) & 2));
        return new StunMessageType(method, cls);
    }

    public override string ToString() => $"method 0x{Method:x3} {Class}";
}
