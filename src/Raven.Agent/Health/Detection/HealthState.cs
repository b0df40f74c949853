namespace Raven.Agent.Health.Detection;

/// <summary>A probe target's health as its failure detector sees it.</summary>
public enum HealthState
{
    /// <summary>Not yet enough evidence either way (a new target, or a prober that just started).</summary>
    Unknown,
    Up,
    Down,
}

/// <summary>Why a detector changed state.</summary>
public enum TransitionReason
{
    /// <summary>Unknown → Up: the first run of consecutive replies.</summary>
    Rise,

    /// <summary>Up → Down: consecutive misses.</summary>
    Fall,

    /// <summary>Unknown → Down: misses in a row before the target was ever Up.</summary>
    MissedBeforeUp,

    /// <summary>Unknown → Down: it answered now and then but never long enough to come Up.</summary>
    NeverSettled,

    /// <summary>Down → Up: healthy without a single miss for the whole hold-down period.</summary>
    HoldDownPassed,
}
