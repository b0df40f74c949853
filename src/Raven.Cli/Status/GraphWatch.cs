namespace Raven.Cli.Status;

/// <summary>
/// `raven graph --watch`: reads the cluster every <see cref="Interval"/> and rewrites the file only when the drawing
/// changed, so a viewer that reloads on change (a browser tab, an image viewer) redraws only on a real change. A read
/// that fails leaves the last file in place; each distinct failure is told once, and its recovery once.
/// </summary>
/// <param name="render">One read of the cluster drawn as DOT; null with the reason when the cluster cannot be read.</param>
/// <param name="write">Writes the DOT in the file's format; the failure's one line, or null.</param>
public sealed class GraphWatch(
    Func<CancellationToken, Task<(string? Dot, string? Failure)>> render,
    Func<string, CancellationToken, Task<string?>> write,
    TimeSpan interval)
{
    public TimeSpan Interval { get; } = interval;

    /// <summary>Runs until cancelled; tells <paramref name="report"/> of every rewrite and every new failure.</summary>
    public async Task RunAsync(Action<string> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        string? written = null;
        string? failing = null;
        try
        {
            while (true)
            {
                var (dot, failure) = await render(cancellationToken).ConfigureAwait(false);
                if (dot is not null && dot != written)
                {
                    failure = await write(dot, cancellationToken).ConfigureAwait(false);
                    if (failure is null)
                    {
                        report(written is null ? "wrote the graph" : "the cluster changed: rewrote the graph");
                        written = dot;
                    }
                }

                if (failure != failing)
                {
                    report(failure is null ? "reading and writing work again" : failure);
                    failing = failure;
                }

                await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: the last file written stays.
        }
    }
}
