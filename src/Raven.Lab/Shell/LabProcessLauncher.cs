using System.Diagnostics;
using Raven.Agent.Linux.Processes;
using Raven.Lab.Build;
using Raven.Lab.Topology;

namespace Raven.Lab.Shell;

/// <summary>
/// Starts a long-running lab process (API server, controller, agent) inside a lab namespace and records it in the
/// process table, so <c>down</c> stops it by PID. <c>ip netns exec</c> execs the program in place, so the recorded
/// PID is the program's own. Output goes to a log file through this process, so the launched process should not
/// outlive the launcher; a detached lab needs the program to write its own log.
/// </summary>
public sealed class LabProcessLauncher(LabNames names, LabProcessTable table)
{
    public Process Start(
        string name,
        string netns,
        string program,
        IReadOnlyList<string> arguments,
        string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentException.ThrowIfNullOrEmpty(logPath);
        if (!netns.StartsWith(names.Prefix, StringComparison.Ordinal) || !File.Exists(Path.Combine(LabBuilder.NetnsDirectory, netns)))
        {
            throw new ArgumentException($"'{netns}' is not an existing namespace of the lab '{names.Prefix}'", nameof(netns));
        }

        var start = new ProcessStartInfo(ProcessCommandRunner.Resolve("ip"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "netns", "exec", netns, ProcessCommandRunner.Resolve(program) }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = TextWriter.Synchronized(new StreamWriter(logPath, append: true) { AutoFlush = true });
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => log.Dispose();
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        table.Record(name, process.Id);
        return process;
    }

    private static void Write(TextWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            log.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // The process exited and its log closed while a last line was in flight.
        }
    }
}
