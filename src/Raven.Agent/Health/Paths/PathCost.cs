namespace Raven.Agent.Health.Paths;

/// <summary>
/// cost = smoothed RTT + loss ratio × loss penalty, in milliseconds. Only a path whose detector is Up and that has
/// an RTT sample is usable; any other has no cost.
/// </summary>
public static class PathCost
{
    public static double? Milliseconds(PathMeasurement path, PathCostOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (path.State != Detection.HealthState.Up || path.SmoothedRtt is not { } rtt)
        {
            return null;
        }

        return rtt.TotalMilliseconds + (Math.Clamp(path.LossRatio, 0, 1) * options.LossPenalty.TotalMilliseconds);
    }

    /// <summary>How much cheaper than <paramref name="currentCost"/> a candidate must be: max(absolute, relative × current).</summary>
    public static double MarginMilliseconds(double currentCost, PathCostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(options.MarginAbsolute.TotalMilliseconds, options.MarginRelative * currentCost);
    }
}
