using Raven.Agent.Linux;

namespace Raven.Lab.Shell;

/// <summary>
/// The processes the lab started (API server, controller, agents), one file per process in the lab's state
/// directory holding its PID and start time, so <c>down</c> — even from a later invocation, after a crash — stops
/// exactly those processes by PID.
/// </summary>
public sealed class LabProcessTable(string stateDirectory)
{
    private const string Extension = ".pid";

    public string Directory { get; } = Path.Combine(stateDirectory, "pids");

    /// <summary>Records a running process under a unique name such as <c>agent-hz-1</c>.</summary>
    public void Record(string name, int pid)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal) || name.StartsWith('.'))
        {
            throw new ArgumentException($"process name '{name}' must be a plain file name", nameof(name));
        }

        var identity = ProcessIdentity.Of(pid) ?? throw new ArgumentException($"process {pid} ('{name}') is not running", nameof(pid));
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, name + Extension), identity + "\n");
    }

    /// <summary>Every recorded process, by name; unreadable records are skipped.</summary>
    public IReadOnlyDictionary<string, ProcessIdentity> Entries()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return new Dictionary<string, ProcessIdentity>();
        }

        return System.IO.Directory.EnumerateFiles(Directory, "*" + Extension)
            .Select(f => (Name: Path.GetFileNameWithoutExtension(f), Identity: ProcessIdentity.Parse(File.ReadAllText(f))))
            .Where(e => e.Identity is not null)
            .ToDictionary(e => e.Name, e => e.Identity!.Value, StringComparer.Ordinal);
    }

    /// <summary>Stops every recorded process that is still the same process, then forgets them all.</summary>
    public async Task StopAllAsync(ProcessStopper stopper, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stopper);
        await stopper.StopAsync(Entries().Values.ToList(), cancellationToken).ConfigureAwait(false);
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
