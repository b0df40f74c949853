namespace Raven.Agent.Health.Detection;

/// <summary>What a probe session made of one decoded datagram.</summary>
public enum ReplyStatus
{
    /// <summary>A reply to a pending probe, within the reply timeout: counts for the detector.</summary>
    Accepted,

    /// <summary>A reply to a probe already counted as missed: an RTT sample, but still a miss.</summary>
    Late,

    NotAReply,

    /// <summary>Another session's reply (a previous run of this prober, or a stray): ignored.</summary>
    WrongSession,

    /// <summary>A sequence this session never sent, or one older than the window.</summary>
    UnknownSequence,

    Duplicate,

    /// <summary>The echoed send time is not the one this session sent with that sequence.</summary>
    TimestampMismatch,
}

/// <summary>The result of one reply: its status and, when it is an RTT sample, the round-trip time.</summary>
public readonly record struct ReplyOutcome(ReplyStatus Status, TimeSpan Rtt)
{
    public bool IsSample => Status is ReplyStatus.Accepted or ReplyStatus.Late;
}
