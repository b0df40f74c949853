namespace Raven.Agent.Linux.Netfilter;

/// <summary>Result of one external command.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a tool, optionally inside a named network namespace, feeding <c>stdin</c>.</summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken);
}
