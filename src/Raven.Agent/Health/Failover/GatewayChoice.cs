namespace Raven.Agent.Health.Failover;

/// <summary>Which rule picked the gateway.</summary>
public enum ChoiceReason
{
    /// <summary>The reachable gateway with the newest serving claim (highest epoch; ties to the earlier in priority).</summary>
    ClaimedServing,

    /// <summary>Nobody reachable claims; the current choice is still Up, so nothing moves.</summary>
    KeptCurrent,

    /// <summary>Nobody reachable claims and the current choice is not Up: the first Up gateway in priority order.</summary>
    FirstUp,

    /// <summary>No gateway is Up from here (most likely this node's own link): keep the current choice.</summary>
    NothingUpKeptCurrent,

    /// <summary>No gateway is Up and there was no current choice (startup): the controller's primary, as without probes.</summary>
    NothingUpPrimary,

    /// <summary>The domain has no tunnel gateway.</summary>
    NoGateways,
}

/// <summary>The gateway this node sends a domain's traffic to, and why, in a sentence for the log.</summary>
public sealed record GatewayChoice(string? NodeName, ChoiceReason Reason, string Explanation)
{
    public bool MovesFrom(string? current) => !string.Equals(NodeName, current, StringComparison.Ordinal);

    public override string ToString() => $"{NodeName ?? "none"} ({Reason}: {Explanation})";
}
