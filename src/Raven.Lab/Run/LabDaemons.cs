using System.Diagnostics;
using Raven.Agent.Linux.Processes;
using Raven.Lab.Shell;

namespace Raven.Lab.Run;

/// <summary>
/// Starts the lab's long-running processes so they outlive `raven lab up`: each writes its own log file (no pipe
/// back to us), runs inside its namespace through `ip netns exec` (which execs in place, so the PID we record is
/// the program's), and is recorded in the process table so `down` stops it by PID.
/// </summary>
public sealed class LabDaemons(LabPaths paths, LabProcessTable table)
{
    /// <summary>The raven executable to start: the apphost next to this assembly, else dotnet + raven.dll.</summary>
    public static IReadOnlyList<string> RavenCommand()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "raven");
        return File.Exists(apphost) ? [apphost] : ["dotnet", Path.Combine(AppContext.BaseDirectory, "raven.dll")];
    }

    public int Start(string name, string? netns, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(paths.Logs);
        var start = new ProcessStartInfo { UseShellExecute = false };
        var argv = new List<string>();
        if (netns is not null)
        {
            argv.AddRange([ProcessCommandRunner.Resolve("ip"), "netns", "exec", netns]);
        }

        // sh only redirects and then execs the program in its own place.
        argv.AddRange(["/bin/sh", "-c", "exec \"$0\" \"$@\" </dev/null >>\"$RAVEN_LAB_LOG\" 2>&1"]);
        argv.AddRange(command);
        start.FileName = argv[0];
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RAVEN_LAB_LOG"] = paths.Log(name);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        table.Record(name, process.Id);
        return process.Id;
    }
}
