using System.Globalization;
using System.Text.RegularExpressions;

namespace Raven.Kube.Observability;

/// <summary>Reads the Prometheus text exposition format (what a scrape of /metrics returns) into samples: the lab
/// reads the agents' series with it, and tests read every component's. Writing the format is prometheus-net's job.</summary>
public static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = line.StartsWith('#') ? null : SampleLine().Match(line);
            if (match is not { Success: true } || !double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["key"].Value, m => Regex.Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
