namespace Raven.Agent.Health.Detection;

/// <summary>
/// Probe timing and detector thresholds. With the defaults a dead path is declared Down at most
/// <see cref="WorstCaseDetection"/> = 3 × 100 ms + 200 ms = 500 ms after it died (docs/health-probes.md §3).
/// </summary>
public sealed record DetectorOptions
{
    /// <summary>Time between two probes to one target.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A probe not answered within this time is a miss; a later answer is counted as late, not as a reply.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Unknown → Up after this many consecutive replies.</summary>
    public int UpAfterReplies { get; init; } = 3;

    /// <summary>Up (or Unknown) → Down after this many consecutive misses.</summary>
    public int DownAfterMisses { get; init; } = 3;

    /// <summary>
    /// Down → Up only after the target answered every probe for this long (and at least <see cref="HoldDownReplies"/>
    /// times): a recovering primary does not take traffic back while it still flaps.
    /// </summary>
    public TimeSpan HoldDown { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Sliding window (in probes) over which the loss ratio is computed.</summary>
    public int LossWindow { get; init; } = 50;

    /// <summary>Consecutive replies a Down target needs before it can come Up: at least one per interval of the hold-down.</summary>
    public int HoldDownReplies => Math.Max(UpAfterReplies, (int)Math.Ceiling(HoldDown / Interval));

    /// <summary>An Unknown target that has not come Up within this time is Down (<see cref="TransitionReason.NeverSettled"/>).</summary>
    public TimeSpan UnknownLimit => HoldDown > WorstCaseDetection ? HoldDown : WorstCaseDetection;

    /// <summary>Upper bound from the moment a path dies to the Down transition (ignoring scheduling delays).</summary>
    public TimeSpan WorstCaseDetection => (Interval * DownAfterMisses) + ReplyTimeout;

    /// <summary>Checks every field; the message names the one that is wrong.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public DetectorOptions Validated()
    {
        Require(Interval >= TimeSpan.FromMilliseconds(10) && Interval <= TimeSpan.FromMinutes(1), nameof(Interval), "between 10 ms and 1 min");
        Require(LossWindow is >= 4 and <= 4096, nameof(LossWindow), "between 4 and 4096 probes");
        Require(ReplyTimeout > TimeSpan.Zero && ReplyTimeout <= Interval * (LossWindow / 2), nameof(ReplyTimeout),
            "positive and at most half the loss window in time");
        Require(UpAfterReplies is >= 1 and <= 100, nameof(UpAfterReplies), "between 1 and 100");
        Require(DownAfterMisses is >= 1 and <= 100, nameof(DownAfterMisses), "between 1 and 100");
        Require(HoldDown >= TimeSpan.Zero && HoldDown <= TimeSpan.FromHours(1), nameof(HoldDown), "between 0 and 1 h");
        return this;
    }

    private static void Require(bool valid, string field, string range)
    {
        if (!valid)
        {
            throw new ArgumentException($"health probe option {field} must be {range}", field);
        }
    }
}
