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
        (string PathId, double Cost)? cheapest = null;
        foreach (var (id, cost) in costs)
        {
            if (cost is { } value && (cheapest is null || value < cheapest.Value.Cost))
            {
                cheapest = (id, value);
            }
        }

        double? currentCost = costs.FirstOrDefault(c => c.PathId == Current).Cost;
        if (cheapest is null)
        {
            ResetCandidate();
            return new PathDecision(Current, false, PathDecisionReason.NoUsablePath, null, null, null, TimeSpan.Zero);
        }

        if (currentCost is null)
        {
            var reason = Current is null ? PathDecisionReason.Initial : PathDecisionReason.CurrentUnusable;
            return SwitchTo(cheapest.Value.PathId, cheapest.Value.Cost, reason, null, TimeSpan.Zero);
        }

        double margin = PathCost.MarginMilliseconds(currentCost.Value, _options);
        if (cheapest.Value.PathId == Current || cheapest.Value.Cost > currentCost.Value - margin)
        {
            ResetCandidate();
            return new PathDecision(Current, false, PathDecisionReason.Kept, currentCost, null, null, TimeSpan.Zero);
        }

        if (_candidate != cheapest.Value.PathId)
        {
            _candidate = cheapest.Value.PathId;
            _candidateSince = now;
        }

        var heldFor = now - _candidateSince;
        return heldFor >= _options.Hold
            ? SwitchTo(cheapest.Value.PathId, cheapest.Value.Cost, PathDecisionReason.Cheaper, cheapest.Value.Cost, heldFor)
            : new PathDecision(Current, false, PathDecisionReason.Holding, currentCost, _candidate, cheapest.Value.Cost, heldFor);
    }

    private PathDecision SwitchTo(string pathId, double cost, PathDecisionReason reason, double? candidateCost, TimeSpan heldFor)
    {
        Current = pathId;
        ResetCandidate();
        return new PathDecision(pathId, true, reason, cost, candidateCost is null ? null : pathId, candidateCost, heldFor);
    }

    private void ResetCandidate()
    {
        _candidate = null;
        _candidateSince = TimeSpan.Zero;
    }
}
