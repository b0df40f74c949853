using System.Diagnostics;
using Spectre.Console;

namespace Raven.Cli.Progress;

/// <summary>
/// How long CLI operations (lab up, diagnose, benchmark) tell the user what they are doing. On an interactive terminal
/// every reported line is printed and also shown beside a spinner with the seconds it has been current, so a long wait
/// visibly moves; anywhere else (a pipe, a file, CI) the lines are printed as they are, nothing else.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>True when stdout is a terminal that can redraw a line (not redirected, not a dumb TERM).</summary>
    public static bool OnTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>
    /// Runs <paramref name="work"/>, handing it the way to report a line. The live display ends before this returns or
    /// throws, so whatever the caller prints afterwards is plain output.
    /// </summary>
    public static async Task<T> RunAsync<T>(string title, Func<Action<string>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!OnTerminal)
        {
            return await work(Console.Out.WriteLine).ConfigureAwait(false);
        }

        return await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), async context =>
        {
            var current = title;
            var since = Stopwatch.StartNew();
            var gate = new object();
            using var ticking = new CancellationTokenSource();
            var ticker = TickAsync(context, () => { lock (gate) { return (current, since.Elapsed); } }, ticking.Token);
            try
            {
                return await work(line =>
                {
                    lock (gate)
                    {
                        AnsiConsole.WriteLine(line);
                        current = line.Trim();
                        since.Restart();
                    }
                }).ConfigureAwait(false);
            }
            finally
            {
                await ticking.CancelAsync().ConfigureAwait(false);
                await ticker.ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private static async Task TickAsync(StatusContext context, Func<(string Line, TimeSpan For)> read, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var (line, elapsed) = read();
                // One terminal line: a wrapped status redraws as two and scrolls (spinner, space and " (123s)" take 10).
                var room = Math.Max(20, AnsiConsole.Profile.Width - 10);
                var shown = line.Length > room ? line[..(room - 1)] + "…" : line;
                context.Status($"{Markup.Escape(shown)} [grey]({elapsed.TotalSeconds:0}s)[/]");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the work ended
        }
    }
}
