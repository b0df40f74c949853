namespace Raven.Bench.Dataplane;

/// <summary>
/// The benchmark's namespaces are rvt-&lt;area&gt;-*, "bench" unless <c>--area</c> names another (a session sharing the
/// machine picks its own): never the network tests' own areas.
/// </summary>
internal static class BenchArea
{
    public static string Name { get; set; } = "bench";
}
