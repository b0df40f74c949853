using Spectre.Console;

namespace Raven.Cli.Progress;

/// <summary>
/// The one progress display of the CLI's long operations (lab up, diagnose, benchmark): on an interactive terminal a
/// Spectre.Console status line that visibly moves (<see cref="TerminalProgress"/>), anywhere else plain lines
/// (<see cref="PlainProgress"/>).
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs <paramref name="work"/>, handing it the report to tell progress to. The live display ends before this
    /// returns or throws, so whatever the caller prints afterwards is plain output.
    /// </summary>
    public static async Task<T> RunAsync<T>(string title, ProgressTarget target, Func<IProgressReport, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(work);
        if (!target.Terminal)
        {
            return await work(new PlainProgress(target.Writer, target.TimestampPlainLines)).ConfigureAwait(false);
        }

        var console = ReferenceEquals(target.Writer, Console.Out)
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(target.Writer) });
        var report = new TerminalProgress(console, title);
        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), async context =>
        {
            using var redrawing = new CancellationTokenSource();
            var redraw = RedrawAsync(context, report, redrawing.Token);
            try
            {
                return await work(report).ConfigureAwait(false);
            }
            finally
            {
                await redrawing.CancelAsync().ConfigureAwait(false);
                await redraw.ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private static async Task RedrawAsync(StatusContext context, TerminalProgress report, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Redraw);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                context.Status(report.StatusLine());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the work ended
        }
    }
}
