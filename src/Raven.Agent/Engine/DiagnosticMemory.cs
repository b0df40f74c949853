using Raven.Agent.Planning;

namespace Raven.Agent.Engine;

/// <summary>
/// Remembers which plan diagnostics the operator was already told about, so each skipped input or excluded
/// address is logged once when it appears (and once when it is gone), not on every resync.
/// </summary>
public sealed class DiagnosticMemory
{
    private readonly HashSet<Diagnostic> _reported = [];

    /// <summary>Diagnostics new since the last call, and remembered ones that no longer occur; both sorted.</summary>
    public (IReadOnlyList<Diagnostic> Appeared, IReadOnlyList<Diagnostic> Resolved) Update(IEnumerable<Diagnostic> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var now = current.ToHashSet();
        var appeared = Sorted(now.Where(d => !_reported.Contains(d)));
        var resolved = Sorted(_reported.Where(d => !now.Contains(d)));
        _reported.Clear();
        _reported.UnionWith(now);
        return (appeared, resolved);
    }

    private static List<Diagnostic> Sorted(IEnumerable<Diagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(d => d.Subject, StringComparer.Ordinal).ThenBy(d => d.Message, StringComparer.Ordinal)];
}
