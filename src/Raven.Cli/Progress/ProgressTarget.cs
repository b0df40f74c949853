using Spectre.Console;

namespace Raven.Cli.Progress;

/// <summary>
/// Where progress goes: the writer, whether it is a terminal that can redraw a line, and whether plain lines carry a
/// timestamp (useful in a log that has none of its own; the lab's lines carry their elapsed seconds instead).
/// </summary>
public sealed record ProgressTarget(TextWriter Writer, bool Terminal, bool TimestampPlainLines = false)
{
    /// <summary>Stdout, redrawn only when it is an interactive terminal (not redirected, not a dumb TERM).</summary>
    public static ProgressTarget Stdout => new(Console.Out, OnTerminal(Console.IsOutputRedirected));

    /// <summary>Stderr, so machine-readable output (-o json) on stdout stays clean.</summary>
    public static ProgressTarget Stderr(bool timestampPlainLines) => new(Console.Error, OnTerminal(Console.IsErrorRedirected), timestampPlainLines);

    private static bool OnTerminal(bool redirected) => !redirected && AnsiConsole.Profile.Capabilities.Interactive;
}
