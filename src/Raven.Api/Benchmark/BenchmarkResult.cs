using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;

namespace Raven.Api.Benchmark;

/// <summary>What the source agent measured, as JSON under data.<see cref="DataKey"/> of the result ConfigMap.</summary>
public sealed record BenchmarkResult
{
    public const string DataKey = "result.json";

    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("target")] public string Target { get; init; } = "";

    /// <summary>The target node's IP the source connected to (its InternalIP as its Gateway lists it).</summary>
    [JsonPropertyName("targetAddress")] public string TargetAddress { get; init; } = "";

    /// <summary>Set when the benchmark could not run; then the figures are absent.</summary>
    [JsonPropertyName("error"), OmitEmpty] public string? Error { get; init; }

    [JsonPropertyName("latency"), OmitEmpty] public LatencyStatistics? Latency { get; init; }
    [JsonPropertyName("throughput"), OmitEmpty] public ThroughputResult? Throughput { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, RavenJson.Options);

    /// <summary>Null (and why) when the text is not a result.</summary>
    public static BenchmarkResult? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"data.{DataKey} is missing";
            return null;
        }

        try
        {
            var result = JsonSerializer.Deserialize<BenchmarkResult>(text, RavenJson.Options);
            if (result is null || (result.Error is null && (result.Latency is null || result.Throughput is null)))
            {
                error = $"data.{DataKey} holds neither figures nor an error";
                return null;
            }

            return result;
        }
        catch (JsonException e)
        {
            error = $"data.{DataKey} is not a result: {e.Message}";
            return null;
        }
    }
}

/// <summary>Bytes the target counted as received over one TCP connection during <see cref="Seconds"/>.</summary>
public sealed record ThroughputResult
{
    [JsonPropertyName("bytes")] public long Bytes { get; init; }
    [JsonPropertyName("seconds")] public double Seconds { get; init; }

    [JsonIgnore] public double BitsPerSecond => Seconds > 0 ? Bytes * 8 / Seconds : 0;
}
