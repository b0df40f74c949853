namespace Raven.Agent.Health.Paths;

/// <summary>Cost formula and switching hysteresis (docs/health-probes.md §6).</summary>
public sealed record PathCostOptions
{
    /// <summary>What a loss ratio of 1 adds to the cost: 1000 ms means every 1 % of loss weighs like 10 ms of RTT.</summary>
    public TimeSpan LossPenalty { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A candidate must be cheaper than the current path by at least this much ...</summary>
    public TimeSpan MarginAbsolute { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>... and by at least this fraction of the current path's cost (whichever is larger) ...</summary>
    public double MarginRelative { get; init; } = 0.10;

    /// <summary>... without interruption for this long before traffic moves to it.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(5);

    public PathCostOptions Validated()
    {
        if (LossPenalty < TimeSpan.Zero || MarginAbsolute < TimeSpan.Zero || Hold < TimeSpan.Zero)
        {
            throw new ArgumentException("path cost options: LossPenalty, MarginAbsolute and Hold must not be negative", nameof(LossPenalty));
        }

        if (!(MarginRelative >= 0 && MarginRelative < 1))
        {
            throw new ArgumentException("path cost option MarginRelative must be at least 0 and below 1", nameof(MarginRelative));
        }

        return this;
    }
}
