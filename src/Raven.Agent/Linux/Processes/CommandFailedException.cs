namespace Raven.Agent.Linux.Processes;

/// <summary>A command exited non-zero; the message carries the command line and what it wrote to stderr.</summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException()
    {
    }

    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CommandFailedException(CommandLine command, CommandResult result)
        : base(Describe(command, result))
    {
        Command = command;
        Result = result;
    }

    public CommandLine? Command { get; }

    public CommandResult? Result { get; }

    private static string Describe(CommandLine command, CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(result);
        var input = command.StandardInput is null ? string.Empty : Environment.NewLine + "stdin:" + Environment.NewLine + command.StandardInput;
        return $"'{command}' exited {result.ExitCode}: {result.StandardError.Trim()}{input}";
    }
}
