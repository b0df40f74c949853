using System.Diagnostics;

namespace Raven.Lab.Run;

/// <summary>Tells the user what the lab is doing or waiting for, with the time elapsed since `up` began.</summary>
public sealed class LabProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, string Message)> _steps = [];
    private readonly Action<string> _report;

    /// <summary>Writes each step as a line to <paramref name="output"/>.</summary>
    public LabProgress(TextWriter output)
        : this(line => output.WriteLine(line))
    {
        ArgumentNullException.ThrowIfNull(output);
    }

    /// <summary>Hands each step's line to <paramref name="report"/> (the CLI's progress display).</summary>
    public LabProgress(Action<string> report) => _report = report ?? throw new ArgumentNullException(nameof(report));

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Step(string message)
    {
        var at = _clock.Elapsed;
        lock (_steps)
        {
            _steps.Add((at, message));
        }

        _report($"[{at.TotalSeconds,5:0.0}s] {message}");
    }

    /// <summary>
    /// Where the time went: each step's message with the time until the next step (the last one until now), the
    /// <paramref name="top"/> longest first, so a slow `lab up` shows its slow phase.
    /// </summary>
    public IReadOnlyList<(string Step, TimeSpan Took)> Breakdown(int top = 8)
    {
        List<(TimeSpan At, string Message)> steps;
        lock (_steps)
        {
            steps = [.. _steps];
        }

        var now = _clock.Elapsed;
        return steps.Select((s, i) => (Step: s.Message.Trim(), Took: (i + 1 < steps.Count ? steps[i + 1].At : now) - s.At))
            .OrderByDescending(s => s.Took).Take(top).ToList();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, saying what it waits for; throws after the deadline.</summary>
    public async Task WaitAsync(string what, Func<CancellationToken, Task<bool>> condition, TimeSpan deadline, CancellationToken cancellationToken)
    {
        Step($"waiting for {what}");
        var started = _clock.Elapsed;
        var lastError = "";
        while (_clock.Elapsed - started < deadline)
        {
            try
            {
                if (await condition(cancellationToken).ConfigureAwait(false))
                {
                    Step($"  {what}: done in {(_clock.Elapsed - started).TotalSeconds:0.0}s");
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException || Kube.Client.KubeErrors.IsApiError(ex))
            {
                lastError = Kube.Client.KubeErrors.Describe(ex);
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"gave up waiting for {what} after {deadline.TotalSeconds:0}s{(lastError.Length > 0 ? $" (last error: {lastError})" : "")}");
    }
}
