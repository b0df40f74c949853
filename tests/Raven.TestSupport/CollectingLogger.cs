using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Raven.TestSupport;

/// <summary>Keeps every log line (with a monotonic timestamp), so a failing test can show what a component decided.</summary>
public sealed class CollectingLogger(string name) : ILogger
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Lines.Enqueue($"{_clock.Elapsed.TotalSeconds,8:0.000} {name} {logLevel}: {formatter(state, exception)}");
    }

    public override string ToString() => string.Join("\n", Lines);
}
