namespace Raven.Controller.Election;

/// <summary>
/// Pure: what an agent Lease says about its node. A current lease means alive. An expired lease is evidence of a dead
/// agent only when the controller has reached the API server for at least one whole lease period since it last could
/// not: a lease that ran out while the API server was down (for the agents as much as for us), or right after it came
/// back, before the agents had a period to renew, says nothing about the node.
/// </summary>
public static class AgentLeaseVerdict
{
    /// <param name="expiry">renewTime + leaseDurationSeconds.</param>
    /// <param name="duration">leaseDurationSeconds.</param>
    /// <param name="reachableSince">Since when the API server has been answering the controller; null while it does not.</param>
    /// <returns>true alive, false dead, null undecided (election then falls back to NodeReady).</returns>
    public static bool? Judge(DateTimeOffset expiry, TimeSpan duration, DateTimeOffset? reachableSince, DateTimeOffset now)
    {
        if (expiry > now)
        {
            return true;
        }

        return JudgeableFrom(duration, reachableSince) <= now ? false : null;
    }

    /// <summary>When the verdict on this lease can next change on its own (expiry, or the end of the wait after reconnecting); null: never.</summary>
    public static DateTimeOffset? NextChange(DateTimeOffset expiry, TimeSpan duration, DateTimeOffset? reachableSince, DateTimeOffset now)
    {
        if (expiry > now)
        {
            return expiry;
        }

        var judgeable = JudgeableFrom(duration, reachableSince);
        return judgeable > now && judgeable != DateTimeOffset.MaxValue ? judgeable : null;
    }

    private static DateTimeOffset JudgeableFrom(TimeSpan duration, DateTimeOffset? reachableSince) =>
        reachableSince is { } since ? since + duration : DateTimeOffset.MaxValue;
}
