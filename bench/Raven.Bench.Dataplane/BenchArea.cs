namespace Raven.Bench.Dataplane;

/// <summary>The benchmark's namespaces are rvt-bench-*: never the network tests' own areas.</summary>
internal static class BenchArea
{
    public const string Name = "bench";
}
