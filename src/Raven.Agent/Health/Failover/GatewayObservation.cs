using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Failover;

/// <summary>
/// One tunnel gateway of a domain as this node sees it: the detector's state for the probe path to it, and the claim
/// of its last accepted reply (kept while it is Down, so its last known epoch still counts).
/// </summary>
public sealed record GatewayObservation(string NodeName, HealthState State, GatewayClaim? LastClaim = null)
{
    public bool IsUp => State == HealthState.Up;

    /// <summary>
    /// Down, but its latest replies came in a row (as many as make a target Up): the path works again while the
    /// detector sits out its hold-down. Its last claim is then a fresh one.
    /// </summary>
    public bool Answering { get; init; }

    /// <summary>Up and, in its last reply, serving: only claims from gateways this node can reach count.</summary>
    public bool ClaimsServing => IsUp && LastClaim is { Serving: true };

    /// <summary>
    /// Up or answering again, and serving by its latest reply: whom a node outside the domain's gateway set follows.
    /// The hold-down keeps a recovering gateway from taking the domain back; once it has (its own domain decided, its
    /// claim says so), waiting out the hold-down elsewhere would only send traffic to a gateway the domain's members
    /// no longer reply through.
    /// </summary>
    public bool AnswersServing => (IsUp || Answering) && LastClaim is { Serving: true };

    public override string ToString() => $"{NodeName} {State}" + (Answering ? " answering" : "") + (LastClaim is { } c ? $" ({c})" : "");
}
