using System.Globalization;

namespace Raven.Agent.Health.Paths;

public enum PathDecisionReason
{
    /// <summary>No path chosen yet: the cheapest usable one, at once.</summary>
    Initial,

    /// <summary>The current path is not usable (Down, not measured): the cheapest usable one, at once.</summary>
    CurrentUnusable,

    /// <summary>A candidate was cheaper by the margin for the whole hold period.</summary>
    Cheaper,

    /// <summary>Staying: no candidate beats the current path by the margin.</summary>
    Kept,

    /// <summary>Staying for now: a candidate beats the current path by the margin, but not yet for the hold period.</summary>
    Holding,

    /// <summary>No path is usable: the current one (if any) stays, nothing better exists.</summary>
    NoUsablePath,
}

/// <summary>One evaluation's outcome with the numbers that decided it; <see cref="ToString"/> is the log line.</summary>
public sealed record PathDecision(
    string? Chosen,
    bool Changed,
    PathDecisionReason Reason,
    double? ChosenCost,
    string? Candidate,
    double? CandidateCost,
    TimeSpan CandidateFor)
{
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var chosen = Chosen is null ? "none" : string.Create(c, $"{Chosen} (cost {ChosenCost:0.0} ms)");
        return Reason switch
        {
            PathDecisionReason.Cheaper or PathDecisionReason.Holding => string.Create(c,
                $"{(Changed ? "switched to" : "staying on")} {chosen}: {Candidate} cost {CandidateCost:0.0} ms, better by the margin for {CandidateFor.TotalMilliseconds:0} ms"),
            _ => $"{(Changed ? "switched to" : "staying on")} {chosen} ({Reason})",
        };
    }
}
