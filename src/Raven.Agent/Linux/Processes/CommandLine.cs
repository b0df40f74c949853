namespace Raven.Agent.Linux.Processes;

/// <summary>A program with its argument list (never a shell string) and optional standard input.</summary>
public sealed record CommandLine(string Program, IReadOnlyList<string> Arguments, string? StandardInput = null)
{
    public CommandLine(string program, params string[] arguments)
        : this(program, (IReadOnlyList<string>)arguments)
    {
    }

    /// <summary>Variables set (or overridden) for the child on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The child's working directory; null keeps this process's.</summary>
    public string? WorkingDirectory { get; init; }

    public CommandLine WithInput(string input) => this with { StandardInput = input };

    public override string ToString() => Program + " " + string.Join(' ', Arguments);
}

/// <summary>What a finished command left behind.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}
