using System.Diagnostics;

namespace Raven.Bench.Dataplane;

/// <summary>Synchronous command runner for setup; failures carry the command and its stderr.</summary>
internal static class Shell
{
    public static string Run(string fileName, params string[] arguments)
    {
        var (exit, stdout, stderr) = TryRun(fileName, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {exit}: {stderr.Trim()}");
        }

        return stdout;
    }

    public static (int ExitCode, string StandardOutput, string StandardError) TryRun(string fileName, params string[] arguments)
    {
        using var process = Process.Start(Info(fileName, arguments)) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public static ProcessStartInfo Info(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
