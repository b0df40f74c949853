using Raven.Lab.Topology;

namespace Raven.Lab.Build;

/// <summary>Where the lab keeps its state and how hard it may work the machine.</summary>
/// <param name="StateDirectory">Holds the PID records of the lab's processes (see LabProcessTable).</param>
/// <param name="MaxParallelism">Commands in flight at once; they are short, so a little above the core count helps.</param>
/// <param name="StopGrace">How long a process gets after SIGTERM before SIGKILL.</param>
public sealed record LabOptions(string StateDirectory, int MaxParallelism, TimeSpan StopGrace)
{
    public const string StateRoot = "/run/raven-lab";

    /// <summary>Defaults for a lab prefix: state in /run/raven-lab/&lt;prefix&gt;, parallelism twice the cores.</summary>
    public static LabOptions For(LabNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new LabOptions(
            Path.Combine(StateRoot, names.Prefix.TrimEnd('-')),
            Math.Max(2, Environment.ProcessorCount * 2),
            TimeSpan.FromSeconds(3));
    }
}
