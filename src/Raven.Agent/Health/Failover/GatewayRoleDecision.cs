using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Failover;

/// <summary>What a gateway does with its claim.</summary>
public enum RoleAction
{
    /// <summary>Standby, and another gateway is the right one to serve.</summary>
    StayStandby,

    /// <summary>Standby and would serve, but a peer's health is still Unknown: decide once it is known.</summary>
    WaitForPeers,

    /// <summary>Standby and would serve, but a reachable peer still serves and has not yielded.</summary>
    WaitForYield,

    /// <summary>Starts serving at a new epoch, above every epoch it knows.</summary>
    TakeOver,

    /// <summary>Serving, and still the right one.</summary>
    StayServing,

    /// <summary>Serving at a lower epoch than a yielding peer that hands the domain back: serves at a new epoch.</summary>
    Reclaim,

    /// <summary>Keeps serving but offers the domain to the gateway that should have it, which takes over.</summary>
    Yield,

    /// <summary>Stops serving: a reachable peer serves at a newer epoch (it took over).</summary>
    StepDown,

    /// <summary>Nobody is fit to serve from here (own LAN down and no peer Up): the claim stays as it is.</summary>
    Hold,
}

/// <summary>The claim to publish next and why, in a sentence for the log.</summary>
public sealed record GatewayRoleDecision(GatewayClaim Claim, RoleAction Action, string Explanation)
{
    public override string ToString() => $"{Action}: {Claim} ({Explanation})";
}
