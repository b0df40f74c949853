using System.Globalization;

namespace Raven.Lab.Build;

/// <summary>How long one build stage took.</summary>
public sealed record StageTiming(string Name, int Jobs, int Commands, TimeSpan Elapsed);

/// <summary>What <c>up</c> did and how long it took, for the lab to print.</summary>
public sealed record LabBuildReport(LabTeardownReport Teardown, IReadOnlyList<StageTiming> Stages, TimeSpan Elapsed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"topology built in {Elapsed.TotalMilliseconds:F0} ms (cleanup {Teardown.Elapsed.TotalMilliseconds:F0} ms, ") +
        string.Join(", ", Stages.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Name} {s.Elapsed.TotalMilliseconds:F0} ms/{s.Commands} commands"))) + ")";
}

/// <summary>What <c>down</c> removed.</summary>
public sealed record LabTeardownReport(IReadOnlyList<string> RemovedNamespaces, int StoppedProcesses, TimeSpan Elapsed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"removed {RemovedNamespaces.Count} namespaces and stopped {StoppedProcesses} processes in {Elapsed.TotalMilliseconds:F0} ms");
}
