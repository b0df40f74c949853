using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Failover;

/// <summary>What one tunnel gateway knows when it decides whether to serve its domain.</summary>
public sealed record GatewayRoleInputs
{
    /// <summary>This gateway's node name.</summary>
    public required string Self { get; init; }

    /// <summary>The domain's tunnel gateways in priority order (the elected ones in spec.endpoints order), this one included.</summary>
    public required IReadOnlyList<string> Order { get; init; }

    /// <summary>What this gateway claims now (what its responder puts into replies).</summary>
    public required GatewayClaim Current { get; init; }

    /// <summary>Remote domains this gateway reaches through its own tunnels: remote active gateways whose probe is Up.</summary>
    public required int Uplink { get; init; }

    /// <summary>
    /// Remote domains this gateway could reach (those with an active tunnel gateway). When there are some and
    /// <see cref="Uplink"/> is 0, a standby does not take over: it would move the domain to a dead end. In a domain
    /// with nobody to vouch for a standby's LAN (two gateways, no members), that is what tells a standby whose own
    /// link is cut from one whose primary died. 0 leaves the rule out.
    /// </summary>
    public int RemoteDomains { get; init; }

    /// <summary>
    /// Remote domains whose latest tunnel probe was answered (null: same as <see cref="Uplink"/>). A cut link of this
    /// node's own silences every probe at once, and shows here an interval or two before the detectors call the
    /// tunnels Down — while the LAN probe of the primary may already have fallen. The take-over rules use this.
    /// </summary>
    public int? FreshUplink { get; init; }

    /// <summary>This node reaches no remote domain right now although there are some: its own link is likely cut.</summary>
    public bool ReachesNothing => RemoteDomains > 0 && (FreshUplink ?? Uplink) == 0;

    /// <summary>This gateway's LAN works (<see cref="LanHealth.Judge"/>).</summary>
    public required bool LanHealthy { get; init; }

    /// <summary>The other gateways of <see cref="Order"/> as probed over the LAN; a missing one counts as Unknown.</summary>
    public required IReadOnlyList<GatewayObservation> Peers { get; init; }

    /// <summary>
    /// Gateways (this one or peers) whose uplink fell below the best only moments ago: they still count as fit, so
    /// a remote domain dying — seen by every gateway within about one probe interval of each other — moves nothing.
    /// <see cref="GatewayRoleTracker"/> fills this in from <see cref="FailoverOptions.UplinkConfirm"/>.
    /// </summary>
    public IReadOnlySet<string> UplinkGrace { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Peers this gateway saw Down while it reached no remote domain itself (its own link cut, most likely), until they
    /// are Up again or <see cref="SuspectAfterOwnCut"/> after its uplink returned: no reason to take over.
    /// <see cref="GatewayRoleTracker"/> fills this in.
    /// </summary>
    public IReadOnlySet<string> DownDuringOwnCut { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How long <see cref="DownDuringOwnCut"/> lasts after the uplink returned (for the explanation only).</summary>
    public TimeSpan SuspectAfterOwnCut { get; init; }
}
