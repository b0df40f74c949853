using Raven.Api.Benchmark;

namespace Raven.Agent.Benchmark;

/// <summary>What one node's agent must do for the requests it sees, decided purely.</summary>
/// <param name="Listen">The request to serve as target (listen for), or null: nothing listens.</param>
/// <param name="Measure">The request to run as source, or null.</param>
/// <param name="Invalid">Requests this node cannot read, with the reason (logged once by the shell).</param>
public sealed record BenchmarkDuties(BenchmarkRequest? Listen, BenchmarkRequest? Measure, IReadOnlyList<(string Name, string Error)> Invalid)
{
    /// <summary>
    /// One request at a time per node: the earliest-expiring live request that involves <paramref name="node"/> (then
    /// by name); expired ones are ignored. A node is target or source of that one request, never of two.
    /// </summary>
    public static BenchmarkDuties For(string node, IEnumerable<(string Name, IReadOnlyDictionary<string, string>? Data)> requests, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var invalid = new List<(string, string)>();
        var live = new List<BenchmarkRequest>();
        foreach (var (name, data) in requests)
        {
            var request = BenchmarkRequest.Parse(name, data, out var error);
            if (error is not null)
            {
                invalid.Add((name, error));
            }
            else if (request.IsLive(now) && request.Involves(node))
            {
                live.Add(request);
            }
        }

        var chosen = live.OrderBy(r => r.Expires).ThenBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault();
        return new BenchmarkDuties(chosen?.Target == node ? chosen : null, chosen?.Source == node ? chosen : null, invalid);
    }
}
