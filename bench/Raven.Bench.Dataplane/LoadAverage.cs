using System.Globalization;

namespace Raven.Bench.Dataplane;

/// <summary>The machine's 1-minute load average (/proc/loadavg), recorded with every figure: the bench shares a small machine.</summary>
internal static class LoadAverage
{
    public static double OneMinute() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>"min–max (median m)" of the samples.</summary>
    public static string Describe(IReadOnlyCollection<double> samples) => samples.Count == 0 ? "n/a"
        : string.Create(CultureInfo.InvariantCulture, $"{samples.Min():0.0}–{samples.Max():0.0} (median {Stats.Median(samples):0.0})");
}

/// <summary>Median and nearest-rank quantiles, shared by the benchmarks' tables.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static string Join(IEnumerable<double> values, string format) => string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
}
