namespace Raven.Agent.Health.Failover;

public sealed record FailoverOptions
{
    /// <summary>
    /// How long a gateway's uplink must stay below the best before it counts as unfit. Gateways detect a remote
    /// domain's death within one probe interval of each other and learn each other's uplink one reply later, so
    /// 250 ms (2.5 intervals) tells "my WAN is cut" from "that remote died" without moving anything in the latter case.
    /// </summary>
    public TimeSpan UplinkConfirm { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long, after this gateway's own uplink comes back, a higher-priority gateway that went Down while this one
    /// reached nothing stays under suspicion: not a reason to take over. Its probes were lost on this node's own cut
    /// link, and the detector's hold-down (3 s by default) keeps it Down for a while after the link returns, so this
    /// must exceed that hold-down; if it is really dead (two failures at once), the take-over waits this long.
    /// </summary>
    public TimeSpan SuspectAfterOwnCut { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The uplink grace, instead of <see cref="UplinkConfirm"/>, for a gateway that has never served (epoch 0) while
    /// nobody in the domain serves: the first election of a domain whose agents are starting. A starting agent answers
    /// probes before its tunnels are measured, so its uplink reads 0 for a second or two; without this grace the first
    /// standby to be measured took the domain, the primary took it back moments later, and the controller's record of
    /// the first move reordered the priorities into a third (seen right after `raven lab up`).
    /// </summary>
    public TimeSpan InitialElectionGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the serving gateway's LAN carrier must stay down before it counts against its LAN (a standby's counts
    /// at once). A carrier blip shorter than this moved the domain away and back; holding costs nothing when the cable
    /// is really out, because the peers' LAN probes call this gateway Down within about the same time (3 missed 100 ms
    /// probes plus the 200 ms timeout) and the standby takes over on its own.
    /// </summary>
    public TimeSpan ServingCarrierHold { get; init; } = TimeSpan.FromMilliseconds(500);

    public FailoverOptions Validated() =>
        ServingCarrierHold < TimeSpan.Zero || ServingCarrierHold > TimeSpan.FromSeconds(10)
            ? throw new ArgumentException("failover option ServingCarrierHold must be between 0 and 10 s", nameof(ServingCarrierHold))
            : InitialElectionGrace < TimeSpan.Zero || InitialElectionGrace > TimeSpan.FromMinutes(1)
            ? throw new ArgumentException("failover option InitialElectionGrace must be between 0 and 1 min", nameof(InitialElectionGrace))
            : UplinkConfirm < TimeSpan.Zero || UplinkConfirm > TimeSpan.FromMinutes(1)
            ? throw new ArgumentException("failover option UplinkConfirm must be between 0 and 1 min", nameof(UplinkConfirm))
            : SuspectAfterOwnCut < TimeSpan.Zero || SuspectAfterOwnCut > TimeSpan.FromMinutes(10)
                ? throw new ArgumentException("failover option SuspectAfterOwnCut must be between 0 and 10 min", nameof(SuspectAfterOwnCut))
                : this;
}
