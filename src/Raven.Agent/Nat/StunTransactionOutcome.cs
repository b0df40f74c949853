using System.Net;
using Raven.Agent.Nat.Stun;

namespace Raven.Agent.Nat;

public enum StunOutcomeKind
{
    Success,
    ErrorResponse,
    Timeout,
}

/// <summary>What one binding transaction produced.</summary>
public sealed record StunTransactionOutcome(
    StunOutcomeKind Kind,
    IPEndPoint? Mapped,
    IPEndPoint? Source,
    IPEndPoint? ResponseOrigin,
    IPEndPoint? OtherAddress,
    StunErrorCode? Error,
    int RequestsSent)
{
    public bool IsSuccess => Kind == StunOutcomeKind.Success;

    public override string ToString() => Kind switch
    {
        StunOutcomeKind.Success => $"mapped {Mapped} (answered from {Source})",
        StunOutcomeKind.ErrorResponse => $"error {Error} from {Source}",
        _ => $"no answer to {RequestsSent} requests",
    };
}
