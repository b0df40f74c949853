namespace Raven.Agent.Nat.Stun;

/// <summary>An ERROR-CODE: a code 300..699 (class × 100 + number) and a reason phrase.</summary>
public sealed record StunErrorCode(int Code, string Reason)
{
    public const int BadRequest = 400;
    public const int UnknownAttribute = 420;
    public const int ServerError = 500;

    public override string ToString() => $"{Code} {Reason}";
}

/// <summary>RFC 5780 CHANGE-REQUEST flags: ask the server to answer from its other address and/or other port.</summary>
[Flags]
public enum StunChangeRequest
{
    None = 0,
    ChangePort = 0x02,
    ChangeAddress = 0x04,
}
