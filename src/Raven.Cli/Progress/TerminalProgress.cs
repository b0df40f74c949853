using System.Diagnostics;
using Spectre.Console;

namespace Raven.Cli.Progress;

/// <summary>
/// On a terminal: every step printed as a line, and below them a spinner with the current step and the seconds it
/// has been current, or, while waiting for something of known length, a bar of the expected time.
/// </summary>
internal sealed class TerminalProgress : IProgressReport
{
    private const int BarWidth = 20;
    private readonly IAnsiConsole _console;
    private readonly Lock _gate = new();
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private string _current;
    private (TimeSpan Elapsed, TimeSpan Expected)? _waiting;

    public TerminalProgress(IAnsiConsole console, string title)
    {
        _console = console;
        _current = title;
    }

    public void Step(string line)
    {
        lock (_gate)
        {
            _console.WriteLine(line);
            _current = line.Trim();
            _waiting = null;
            _since.Restart();
        }
    }

    public void Waiting(string activity, TimeSpan elapsed, TimeSpan expected)
    {
        lock (_gate)
        {
            _current = activity;
            _waiting = (elapsed, expected);
        }
    }

    /// <summary>The status line as it stands, escaped for markup and cut to one terminal line.</summary>
    public string StatusLine()
    {
        string line;
        string suffix;
        lock (_gate)
        {
            line = _current;
            suffix = _waiting is var (elapsed, expected) ? Bar(elapsed, expected) : $"({_since.Elapsed.TotalSeconds:0}s)";
        }

        // One terminal line: a wrapped status redraws as two and scrolls (the spinner and a space take 2).
        var room = Math.Max(20, _console.Profile.Width - 3 - suffix.Length);
        var shown = line.Length > room ? line[..(room - 1)] + "…" : line;
        return $"{Markup.Escape(shown)} [grey]{Markup.Escape(suffix)}[/]";
    }

    private static string Bar(TimeSpan elapsed, TimeSpan expected)
    {
        var filled = expected <= TimeSpan.Zero ? BarWidth : (int)Math.Clamp(elapsed / expected * BarWidth, 0, BarWidth);
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {elapsed.TotalSeconds:0}s of about {expected.TotalSeconds:0}s";
    }
}
