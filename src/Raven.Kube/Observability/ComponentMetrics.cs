using Prometheus;

namespace Raven.Kube.Observability;

/// <summary>
/// Where each component's metrics live. The lab and the tests run several agents, controllers and API servers in one
/// process, so every component gets a registry of its own (never prometheus-net's static default one): two agents in
/// one process neither collide on registration nor see each other's series.
/// </summary>
public static class ComponentMetrics
{
    /// <summary>Durations of passes that take milliseconds to tens of seconds: 1 ms doubling to about 33 s.</summary>
    public static readonly double[] PassDurationBuckets = Histogram.ExponentialBuckets(0.001, 2, 16);

    /// <summary>Outages measured against leases (tens of seconds): 0.25 s doubling to about 17 minutes.</summary>
    public static readonly double[] OutageBuckets = Histogram.ExponentialBuckets(0.25, 2, 13);

    /// <summary>A new registry holding the standard process_* and dotnet_* collectors.</summary>
    public static CollectorRegistry NewRegistry()
    {
        var registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        return registry;
    }

    /// <summary>The registry's current exposition in Prometheus' text format, as a scrape of /metrics returns it.</summary>
    public static async Task<string> ExportTextAsync(this CollectorRegistry registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using var buffer = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(buffer, cancellationToken).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
