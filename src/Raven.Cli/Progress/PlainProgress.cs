namespace Raven.Cli.Progress;

/// <summary>Not a terminal (a pipe, a file, CI): each step as a line, and a waiting line every few seconds.</summary>
public sealed class PlainProgress(TextWriter output, bool timestamped, TimeProvider? time = null) : IProgressReport
{
    private static readonly TimeSpan WaitingEvery = TimeSpan.FromSeconds(5);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private TimeSpan _lastWaiting = TimeSpan.Zero;

    public void Step(string line)
    {
        lock (_gate)
        {
            output.WriteLine(timestamped ? $"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ} {line}" : line);
        }
    }

    public void Waiting(string activity, TimeSpan elapsed, TimeSpan expected)
    {
        lock (_gate)
        {
            if (elapsed - _lastWaiting < WaitingEvery)
            {
                return;
            }

            _lastWaiting = elapsed;
        }

        Step($"{activity}: {elapsed.TotalSeconds:0}s of about {expected.TotalSeconds:0}s");
    }
}
