namespace Raven.Agent.Health.Detection;

/// <summary>
/// Pure per-target state machine fed with replies and misses in the order they are decided:
/// Unknown → Up after N replies in a row; Up → Down after M misses in a row; Down → Up only after the target has
/// answered every probe for the hold-down period (any miss restarts it). Time comes in as a monotonic offset,
/// so tests drive it without a clock.
/// </summary>
public sealed class FailureDetector
{
    private readonly DetectorOptions _options;
    private TimeSpan? _firstEvent;
    private TimeSpan _streakStart;

    public FailureDetector(string target, DetectorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(options);
        Target = target;
        _options = options.Validated();
    }

    public string Target { get; }

    public HealthState State { get; private set; } = HealthState.Unknown;

    public int ConsecutiveReplies { get; private set; }

    public int ConsecutiveMisses { get; private set; }

    public long TransitionCount { get; private set; }

    public HealthTransition? LastTransition { get; private set; }

    /// <summary>A reply arrived in time. Returns the transition it caused, if any.</summary>
    public HealthTransition? OnReply(TimeSpan now)
    {
        _firstEvent ??= now;
        if (ConsecutiveReplies == 0)
        {
            _streakStart = now;
        }

        ConsecutiveReplies++;
        ConsecutiveMisses = 0;
        return State switch
        {
            HealthState.Unknown when ConsecutiveReplies >= _options.UpAfterReplies => Move(HealthState.Up, TransitionReason.Rise, now),
            HealthState.Down when ConsecutiveReplies >= _options.HoldDownReplies && now - _streakStart >= _options.HoldDown =>
                Move(HealthState.Up, TransitionReason.HoldDownPassed, now),
            HealthState.Unknown => GiveUpIfUnsettled(now),
            _ => null,
        };
    }

    /// <summary>A probe's reply timeout passed without a reply. Returns the transition it caused, if any.</summary>
    public HealthTransition? OnMiss(TimeSpan now)
    {
        _firstEvent ??= now;
        ConsecutiveMisses++;
        ConsecutiveReplies = 0;
        if (State != HealthState.Down && ConsecutiveMisses >= _options.DownAfterMisses)
        {
            return Move(HealthState.Down, State == HealthState.Up ? TransitionReason.Fall : TransitionReason.MissedBeforeUp, now);
        }

        return State == HealthState.Unknown ? GiveUpIfUnsettled(now) : null;
    }

    private HealthTransition? GiveUpIfUnsettled(TimeSpan now) =>
        now - _firstEvent!.Value >= _options.UnknownLimit ? Move(HealthState.Down, TransitionReason.NeverSettled, now) : null;

    private HealthTransition Move(HealthState to, TransitionReason reason, TimeSpan now)
    {
        var healthyFor = reason == TransitionReason.HoldDownPassed ? now - _streakStart : TimeSpan.Zero;
        var transition = new HealthTransition(Target, State, to, reason, now, ConsecutiveReplies, ConsecutiveMisses, healthyFor);
        State = to;
        TransitionCount++;
        LastTransition = transition;
        return transition;
    }
}
