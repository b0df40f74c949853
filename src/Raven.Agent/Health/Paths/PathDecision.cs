using System.Globalization;
using Raven.Agent.Health.Detection;

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

/// <summary>
/// One evaluation's outcome with the numbers that decided it; <see cref="ToString"/> is the log line. Costs and the
/// margin are in milliseconds. <see cref="Candidate"/> is the cheapest usable path other than the one in use
/// (the one held, or switched to, or not cheaper by the margin); null when there is none.
/// </summary>
public sealed record PathDecision(
    string? Chosen,
    bool Changed,
    PathDecisionReason Reason,
    double? ChosenCost,
    string? Candidate,
    double? CandidateCost,
    TimeSpan CandidateFor)
{
    /// <summary>The path in use before this evaluation; null on the first.</summary>
    public string? Previous { get; init; }

    /// <summary>The previous path's cost in this evaluation; null when it is not usable (any more).</summary>
    public double? PreviousCost { get; init; }

    /// <summary>The previous path's detector state in this evaluation; null when it was not among the measured paths.</summary>
    public HealthState? PreviousState { get; init; }

    /// <summary>How much cheaper than the path in use a candidate had to be; null without a usable path in use.</summary>
    public double? Margin { get; init; }

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var chosen = Chosen is null ? "none" : string.Create(c, $"{Chosen} (cost {ChosenCost:0.0} ms)");
        return Reason switch
        {
            PathDecisionReason.Initial => $"chose {chosen}: the cheapest usable path",
            PathDecisionReason.CurrentUnusable => string.Create(c, $"switched {Previous} -> {chosen}: {Previous} {Unusable(PreviousState)}"),
            PathDecisionReason.Cheaper => string.Create(c,
                $"switched {Previous} -> {Chosen}: cost {PreviousCost:0.0} -> {ChosenCost:0.0} ms, cheaper by more than the margin ({Margin:0.0} ms) for {CandidateFor.TotalMilliseconds:0} ms"),
            PathDecisionReason.Holding => string.Create(c,
                $"staying on {chosen}: {Candidate} cost {CandidateCost:0.0} ms, cheaper by more than the margin ({Margin:0.0} ms) for {CandidateFor.TotalMilliseconds:0} ms so far"),
            PathDecisionReason.Kept when Candidate is not null => string.Create(c,
                $"staying on {chosen}: {Candidate} cost {CandidateCost:0.0} ms is not cheaper by the margin ({Margin:0.0} ms)"),
            PathDecisionReason.Kept => $"staying on {chosen}: no other usable path",
            _ => $"staying on {chosen}: no usable path",
        };
    }

    private static string Unusable(HealthState? state) => state switch
    {
        null => "is no longer measured",
        HealthState.Up => "has no RTT sample",
        { } s => $"is {s}",
    };
}
