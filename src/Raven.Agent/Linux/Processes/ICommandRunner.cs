namespace Raven.Agent.Linux.Processes;

/// <summary>Runs external tools; the agent drives iptables-restore and ipset through this, the lab ip and sysctl.</summary>
public interface ICommandRunner
{
    /// <summary>Runs the command to completion and returns its exit code and output, whatever the exit code.</summary>
    Task<CommandResult> RunAsync(CommandLine command, CancellationToken cancellationToken);
}

public static class CommandRunnerExtensions
{
    /// <summary>Runs the command and throws <see cref="CommandFailedException"/> unless it exits 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(this ICommandRunner runner, CommandLine command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result : throw new CommandFailedException(command, result);
    }
}
