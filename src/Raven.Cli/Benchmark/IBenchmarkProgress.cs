namespace Raven.Cli.Benchmark;

/// <summary>What `raven benchmark` tells the operator while it waits (on stderr, so -o json stays clean on stdout).</summary>
public interface IBenchmarkProgress
{
    /// <summary>A step happened (request created, result arrived).</summary>
    void Step(string message);

    /// <summary>Still waiting: <paramref name="elapsed"/> of an expected <paramref name="expected"/>.</summary>
    void Waiting(TimeSpan elapsed, TimeSpan expected);
}

/// <summary>Plain timestamped lines, for logs and pipes: each step, and a waiting line every few seconds.</summary>
public sealed class PlainBenchmarkProgress(TextWriter output, TimeProvider? time = null) : IBenchmarkProgress
{
    private static readonly TimeSpan WaitingEvery = TimeSpan.FromSeconds(5);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private TimeSpan _lastWaiting = TimeSpan.Zero;

    public void Step(string message) => output.WriteLine($"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ} {message}");

    public void Waiting(TimeSpan elapsed, TimeSpan expected)
    {
        if (elapsed - _lastWaiting < WaitingEvery)
        {
            return;
        }

        _lastWaiting = elapsed;
        Step($"waiting for the result: {elapsed.TotalSeconds:0}s of about {expected.TotalSeconds:0}s");
    }
}
