namespace Raven.Agent.Nat.Stun;

/// <summary>Why bytes are not a well-formed RFC 5389 message.</summary>
public enum StunDecodeError
{
    None,
    TooShort,
    NotStun,
    NoMagicCookie,
    LengthMismatch,
    TruncatedAttribute,
    AttributeAfterFingerprint,
    MalformedAttribute,
}

/// <summary>The decoder's answer: a message, or an error with a sentence saying what was wrong. Never an exception.</summary>
public readonly record struct StunDecodeResult(StunMessage? Message, StunDecodeError Error, string Detail)
{
    public bool IsSuccess => Message is not null;

    public static StunDecodeResult Ok(StunMessage message) => new(message, StunDecodeError.None, "");

    public static StunDecodeResult Fail(StunDecodeError error, string detail) => new(null, error, detail);
}

/// <summary>A typed attribute read: a value, or why the attribute could not be read.</summary>
public readonly record struct StunRead<T>(bool Found, T? Value, string? Error)
{
    public bool IsValid => Found && Error is null;

    public static StunRead<T> Missing => new(false, default, null);

    public static StunRead<T> Ok(T value) => new(true, value, null);

    public static StunRead<T> Bad(string error) => new(true, default, error);
}
