using System.Diagnostics;

namespace Raven.Network.Tests.Support;

/// <summary>Synchronous command runner for test setup and cross-checks; failures carry the command and its stderr.</summary>
public static class Shell
{
    public static string Run(string fileName, params string[] arguments) => RunWithInput(fileName, null, arguments);

    public static string RunWithInput(string fileName, string? input, params string[] arguments)
    {
        var (exit, stdout, stderr) = TryRun(fileName, input, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {exit}: {stderr.Trim()}");
        }

        return stdout;
    }

    public static (int ExitCode, string StandardOutput, string StandardError) TryRun(string fileName, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
