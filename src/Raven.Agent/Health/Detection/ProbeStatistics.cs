namespace Raven.Agent.Health.Detection;

/// <summary>
/// A target's numbers at one moment, as the later wiring exports them (metrics, status, logs). Counters only grow
/// during a session.
/// </summary>
/// <param name="LossRatio">Missed and late probes over the probes decided within the last <see cref="DetectorOptions.LossWindow"/>.</param>
/// <param name="SmoothedRtt">EWMA of the round-trip samples (gain 1/8, as TCP's SRTT); null before the first reply.</param>
/// <param name="Rejected">Datagrams on this target's socket that were not a reply to a pending probe of this session.</param>
/// <param name="LastResponder">Node id in the last accepted reply (tells which gateway answered).</param>
/// <param name="LastClaim">What the last accepted reply said about the responder's role.</param>
public sealed record ProbeStatistics(
    HealthState State,
    int ConsecutiveReplies,
    int ConsecutiveMisses,
    long Sent,
    long Replies,
    long Misses,
    long LateReplies,
    long Rejected,
    double LossRatio,
    TimeSpan? LastRtt,
    TimeSpan? SmoothedRtt,
    ulong? LastResponder,
    Protocol.GatewayClaim? LastClaim,
    long Transitions,
    HealthTransition? LastTransition);
