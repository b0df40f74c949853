namespace Raven.Agent.Health.Paths;

/// <summary>
/// Picks one path per remote domain with hysteresis: move off an unusable path at once; otherwise move only to a
/// candidate that stays cheaper than the current path by max(absolute, relative) margin, without interruption, for
/// the hold period (any evaluation where it is not restarts the hold). Ties go to the earlier path in the list (the
/// caller's preference, e.g. direct before relayed). Deterministic; time is a monotonic offset passed in.
/// </summary>
public sealed class PathChooser
{
    private readonly PathCostOptions _options;
    private string? _candidate;
    private TimeSpan _candidateSince;

    public PathChooser(PathCostOptions? options = null) => _options = (options ?? new PathCostOptions()).Validated();

    public string? Current { get; private set; }

    public PathDecision Evaluate(IReadOnlyList<PathMeasurement> paths, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var costs = paths.Select(p => (p.PathId, Cost: PathCost.Milliseconds(p, _options))).ToList();
        var cheapest = Cheapest(costs, null);
        var previous = Current;
        double? currentCost = costs.FirstOrDefault(c => c.PathId == previous).Cost;
        double? margin = currentCost is { } held ? PathCost.MarginMilliseconds(held, _options) : null;
        var context = new PathDecision(null, false, PathDecisionReason.Kept, null, null, null, TimeSpan.Zero)
        {
            Previous = previous,
            PreviousCost = currentCost,
            PreviousState = paths.FirstOrDefault(p => p.PathId == previous)?.State,
            Margin = margin,
        };
        if (cheapest is null)
        {
            ResetCandidate();
            return context with { Chosen = previous, Reason = PathDecisionReason.NoUsablePath };
        }

        if (currentCost is null)
        {
            var reason = previous is null ? PathDecisionReason.Initial : PathDecisionReason.CurrentUnusable;
            return SwitchTo(context, cheapest.Value.PathId, cheapest.Value.Cost, reason, TimeSpan.Zero);
        }

        if (cheapest.Value.PathId == previous || cheapest.Value.Cost > currentCost.Value - margin!.Value)
        {
            ResetCandidate();
            var other = Cheapest(costs, previous);
            return context with { Chosen = previous, ChosenCost = currentCost, Candidate = other?.PathId, CandidateCost = other?.Cost };
        }

        if (_candidate != cheapest.Value.PathId)
        {
            _candidate = cheapest.Value.PathId;
            _candidateSince = now;
        }

        var heldFor = now - _candidateSince;
        return heldFor >= _options.Hold
            ? SwitchTo(context, cheapest.Value.PathId, cheapest.Value.Cost, PathDecisionReason.Cheaper, heldFor)
            : context with
            {
                Chosen = previous, Reason = PathDecisionReason.Holding, ChosenCost = currentCost, Candidate = _candidate,
                CandidateCost = cheapest.Value.Cost, CandidateFor = heldFor,
            };
    }

    /// <summary>The cheapest usable path, leaving out <paramref name="except"/>; the earlier one on a tie.</summary>
    private static (string PathId, double Cost)? Cheapest(List<(string PathId, double? Cost)> costs, string? except)
    {
        (string PathId, double Cost)? cheapest = null;
        foreach (var (id, cost) in costs)
        {
            if (id != except && cost is { } value && (cheapest is null || value < cheapest.Value.Cost))
            {
                cheapest = (id, value);
            }
        }

        return cheapest;
    }

    private PathDecision SwitchTo(PathDecision context, string pathId, double cost, PathDecisionReason reason, TimeSpan heldFor)
    {
        Current = pathId;
        ResetCandidate();
        return context with
        {
            Chosen = pathId, Changed = true, Reason = reason, ChosenCost = cost,
            Candidate = reason == PathDecisionReason.Cheaper ? pathId : null,
            CandidateCost = reason == PathDecisionReason.Cheaper ? cost : null,
            CandidateFor = heldFor,
        };
    }

    private void ResetCandidate()
    {
        _candidate = null;
        _candidateSince = TimeSpan.Zero;
    }
}
