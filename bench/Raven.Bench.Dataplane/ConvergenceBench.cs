using System.Globalization;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// Convergence over many trials (issue 15 item 6): each trial builds a fresh lab, starts its agents without Gateways,
/// applies them and times the first ping reply both ways (<see cref="Convergence"/>). Prints p50 / p95 / max per
/// backend and direction; the goal is p95 ≤ 2 s.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ConvergenceBench
{
    public static async Task<List<(string Metric, string Value, string Note)>> MeasureAsync(int trials, IReadOnlyList<string> backends)
    {
        var rows = new List<(string, string, string)>();
        foreach (var backend in backends)
        {
            var toEdge = new List<double>();
            var toCloud = new List<double>();
            var misses = 0;
            for (var i = 0; i < trials; i++)
            {
                await using var lab = await AgentLab.CreateAsync(area: BenchArea.Name, backend: backend);
                var result = await Convergence.MeasureAsync(lab, TimeSpan.FromSeconds(30));
                Console.Error.WriteLine($"{backend} trial {i + 1}: {Seconds(result.ToEdge)} / {Seconds(result.ToCloud)}; {result.Describe()}");
                if (result.ToEdge is not { } edge || result.ToCloud is not { } cloud)
                {
                    misses++;
                    continue;
                }

                toEdge.Add(edge.TotalSeconds);
                toCloud.Add(cloud.TotalSeconds);
            }

            rows.Add(Row($"convergence {backend}: apply → first reply, cloud-w pod → a-w pod", toEdge, trials, misses));
            rows.Add(Row($"convergence {backend}: apply → first reply, a-w pod → cloud-w pod", toCloud, trials, misses));
        }

        return rows;
    }

    private static (string, string, string) Row(string metric, List<double> seconds, int trials, int misses)
    {
        seconds.Sort();
        return (metric, seconds.Count == 0 ? "none" : $"p50 {Quantile(seconds, 0.5):0.00} s, p95 {Quantile(seconds, 0.95):0.00} s, max {seconds[^1]:0.00} s",
            $"{trials} trials, {misses} without a reply in 30 s; fresh lab per trial, agents running before the apply, ping every 50 ms");
    }

    /// <summary>Nearest-rank quantile of sorted values.</summary>
    private static double Quantile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Seconds(TimeSpan? t) => t is { } v ? v.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "none";
}
