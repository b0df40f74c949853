using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Raven.Api.Benchmark;
using Raven.Api.Manifests;
using Raven.Cli.Status;

namespace Raven.Cli.Benchmark;

/// <summary>-o table|json|yaml of a benchmark result; JSON and YAML are the result document plus bits per second.</summary>
public static class BenchmarkFormats
{
    public static string Render(BenchmarkResult result, string format) => format switch
    {
        "json" => Document(result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n",
        "yaml" => YamlWriter.Write(Document(result)),
        _ => Table(result),
    };

    public static JsonObject Document(BenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var document = JsonNode.Parse(result.Serialize())!.AsObject();
        if (result.Throughput is { } throughput)
        {
            document["throughput"]!["bitsPerSecond"] = Math.Round(throughput.BitsPerSecond);
        }

        return document;
    }

    public static string Table(BenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var output = new StringBuilder();
        output.Append(CultureInfo.InvariantCulture, $"{result.Source} -> {result.Target} ({(result.TargetAddress.Length > 0 ? result.TargetAddress : "address unknown")})\n");
        if (result.Error is { } error)
        {
            output.Append(CultureInfo.InvariantCulture, $"FAILED: {error}\n");
            return output.ToString();
        }

        var table = new TextTable("TEST", "RESULT", "DETAIL");
        var t = result.Throughput!;
        table.Add("throughput", Rate(t.BitsPerSecond), string.Create(CultureInfo.InvariantCulture, $"{t.Bytes} bytes in {t.Seconds:0.00} s, one TCP stream"));
        var l = result.Latency!;
        table.Add("latency", string.Create(CultureInfo.InvariantCulture, $"p50 {l.P50Ms:0.000} ms"),
            string.Create(CultureInfo.InvariantCulture, $"min {l.MinMs:0.000} / p95 {l.P95Ms:0.000} / max {l.MaxMs:0.000} ms over {l.Samples} TCP round trips"));
        table.WriteTo(output, "");
        return output.ToString();
    }

    /// <summary>Bits per second in the largest unit that keeps at least 1 (decimal units, as network rates are given).</summary>
    public static string Rate(double bitsPerSecond) => bitsPerSecond switch
    {
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond / 1e9:0.00} Gbit/s"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond / 1e6:0.0} Mbit/s"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond / 1e3:0.0} kbit/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond:0} bit/s"),
    };
}
