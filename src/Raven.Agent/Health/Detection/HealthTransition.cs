using System.Globalization;

namespace Raven.Agent.Health.Detection;

/// <summary>
/// One state change of one target, with the numbers that decided it; <see cref="ToString"/> is the log line.
/// </summary>
/// <param name="At">Monotonic time of the deciding reply or miss.</param>
/// <param name="ConsecutiveReplies">Replies in a row when it changed (Rise, HoldDownPassed).</param>
/// <param name="ConsecutiveMisses">Misses in a row when it changed (Fall, MissedBeforeUp).</param>
/// <param name="HealthyFor">How long the target had answered without a miss (HoldDownPassed), else zero.</param>
public sealed record HealthTransition(
    string Target,
    HealthState From,
    HealthState To,
    TransitionReason Reason,
    TimeSpan At,
    int ConsecutiveReplies,
    int ConsecutiveMisses,
    TimeSpan HealthyFor)
{
    public override string ToString()
    {
        var numbers = Reason switch
        {
            TransitionReason.Fall or TransitionReason.MissedBeforeUp => $"{ConsecutiveMisses} probes missed in a row",
            TransitionReason.HoldDownPassed => string.Create(CultureInfo.InvariantCulture,
                $"{ConsecutiveReplies} replies in a row over {HealthyFor.TotalMilliseconds:0} ms (hold-down)"),
            TransitionReason.NeverSettled => string.Create(CultureInfo.InvariantCulture,
                $"not Up within {At.TotalMilliseconds:0} ms of the first probe"),
            _ => $"{ConsecutiveReplies} replies in a row",
        };
        return $"probe target {Target}: {From} -> {To} ({Reason}: {numbers})";
    }
}
