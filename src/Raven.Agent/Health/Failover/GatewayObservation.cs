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

    /// <summary>Up and, in its last reply, serving: only claims from gateways this node can reach count.</summary>
    public bool ClaimsServing => IsUp && LastClaim is { Serving: true };

    public override string ToString() => $"{NodeName} {State}" + (LastClaim is { } c ? $" ({c})" : "");
}
