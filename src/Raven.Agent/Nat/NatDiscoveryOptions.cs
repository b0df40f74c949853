using System.Net;

namespace Raven.Agent.Nat;

/// <summary>What an edge's discovery run asks, and how long it may take.</summary>
public sealed record NatDiscoveryOptions
{
    /// <summary>The exposed gateway's responder (its public address, primary port).</summary>
    public required IPEndPoint Responder { get; init; }

    /// <summary>Optional second responder on another address (e.g. another exposed gateway): tells endpoint-independent from address-dependent mapping.</summary>
    public IPEndPoint? AlternateResponder { get; init; }

    /// <summary>The first binding: RFC 5389's schedule (a lossy path still gets an answer).</summary>
    public StunRetransmission Binding { get; init; } = StunRetransmission.Rfc5389;

    /// <summary>Tests where silence is a result (filtering) or an optional extra (mapping).</summary>
    public StunRetransmission Probe { get; init; } = StunRetransmission.Probe;

    /// <summary>The whole run gives up after this long.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(60);
}

public enum NatDiscoveryFailure
{
    /// <summary>The responder never answered: UDP blocked, responder down or unreachable.</summary>
    NoAnswer,

    /// <summary>The responder answered the first binding with an error.</summary>
    Refused,

    /// <summary>The run hit its deadline.</summary>
    DeadlineExceeded,

    /// <summary>The transport could not be opened or used (port, permissions).</summary>
    Transport,
}

/// <summary>A classification, or why there is none.</summary>
public sealed record NatDiscoveryResult(NatClassification? Classification, NatObservations? Observations, NatDiscoveryFailure? Failure, string? Detail)
{
    public bool IsSuccess => Classification is not null;

    public static NatDiscoveryResult Ok(NatClassification classification, NatObservations observations) => new(classification, observations, null, null);

    public static NatDiscoveryResult Failed(NatDiscoveryFailure failure, string detail) => new(null, null, failure, detail);

    public override string ToString() => Classification?.ToString() ?? $"discovery failed ({Failure}): {Detail}";
}
