using Spectre.Console;

namespace Raven.Cli.Benchmark;

/// <summary>On a terminal: a Spectre.Console progress bar for the expected duration, steps printed above it.</summary>
public sealed class TerminalBenchmarkProgress : IBenchmarkProgress, IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _display;
    private ProgressTask? _task;

    public TerminalBenchmarkProgress(TextWriter error)
    {
        _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _display = _console.Progress().AutoClear(true).StartAsync(async context =>
        {
            _task = context.AddTask("benchmark", maxValue: 1);
            ready.SetResult();
            await _done.Task.ConfigureAwait(false);
        });
        ready.Task.Wait(TimeSpan.FromSeconds(5));
    }

    public void Step(string message) => _console.MarkupLineInterpolated($"[grey]{DateTime.UtcNow:HH:mm:ss}[/] {message}");

    public void Waiting(TimeSpan elapsed, TimeSpan expected)
    {
        if (_task is { } task)
        {
            task.MaxValue = Math.Max(expected.TotalSeconds, elapsed.TotalSeconds + 1);
            task.Value = elapsed.TotalSeconds;
            task.Description = $"waiting for the result ({elapsed.TotalSeconds:0}s)";
        }
    }

    public void Dispose()
    {
        _done.TrySetResult();
        _display.Wait(TimeSpan.FromSeconds(2));
    }
}
