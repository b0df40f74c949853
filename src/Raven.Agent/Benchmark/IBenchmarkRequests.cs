using Raven.Api.Benchmark;

namespace Raven.Agent.Benchmark;

/// <summary>The benchmark request ConfigMaps as the agent sees them, and where it writes a result.</summary>
public interface IBenchmarkRequests
{
    /// <summary>Raised after the requests changed; on any thread.</summary>
    event EventHandler? Changed;

    IReadOnlyList<(string Name, IReadOnlyDictionary<string, string>? Data)> Current { get; }

    /// <summary>Creates the result ConfigMap; an existing one (a restarted agent's second run) is left as it is.</summary>
    Task WriteResultAsync(BenchmarkRequest request, BenchmarkResult result, CancellationToken cancellationToken);
}
