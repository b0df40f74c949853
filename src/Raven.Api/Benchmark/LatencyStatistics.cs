using System.Text.Json.Serialization;

namespace Raven.Api.Benchmark;

/// <summary>Round-trip times of the echo test, in milliseconds (nearest-rank percentiles).</summary>
public sealed record LatencyStatistics
{
    [JsonPropertyName("samples")] public int Samples { get; init; }
    [JsonPropertyName("minMs")] public double MinMs { get; init; }
    [JsonPropertyName("p50Ms")] public double P50Ms { get; init; }
    [JsonPropertyName("p95Ms")] public double P95Ms { get; init; }
    [JsonPropertyName("maxMs")] public double MaxMs { get; init; }

    public static LatencyStatistics Of(IReadOnlyCollection<TimeSpan> roundTrips)
    {
        ArgumentNullException.ThrowIfNull(roundTrips);
        if (roundTrips.Count == 0)
        {
            throw new ArgumentException("at least one round trip is needed", nameof(roundTrips));
        }

        var sorted = roundTrips.Select(r => r.TotalMilliseconds).Order().ToArray();
        return new LatencyStatistics
        {
            Samples = sorted.Length,
            MinMs = sorted[0],
            P50Ms = Percentile(sorted, 50),
            P95Ms = Percentile(sorted, 95),
            MaxMs = sorted[^1],
        };
    }

    /// <summary>The smallest sample with at least <paramref name="percent"/> % of the samples at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, int percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
