using Raven.Agent.Linux.Processes;

namespace Raven.TestSupport.Network;

/// <summary>
/// Synchronous face of the one process runner (<see cref="ProcessCommandRunner"/>) for test and benchmark setup and
/// cross-checks; failures carry the command and its stderr, and nothing runs longer than a minute.
/// </summary>
public static class Shell
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly ProcessCommandRunner Runner = new();

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
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            var result = Runner.RunAsync(new CommandLine(fileName, arguments, input), timeout.Token).GetAwaiter().GetResult();
            return (result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {Limit.TotalSeconds:0} s");
        }
    }
}
