using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Raven.Kube.Observability;

/// <summary>Builds the one logging setup every raven command uses.</summary>
public static class RavenLogging
{
    /// <param name="level">Trace, Debug, Information, Warning or Error (case-insensitive).</param>
    /// <param name="json">One JSON object per line instead of text.</param>
    /// <param name="errors">Where lines go; null: the console's standard error.</param>
    public static ILoggerFactory Create(LogLevel level, bool json, TextWriter? errors = null) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);
        builder.AddFilter("Microsoft", LogLevel.Warning);
        if (errors is not null)
        {
            builder.AddProvider(new WriterLoggerProvider(new RavenLogFormatter(new StaticOptions(new RavenLogFormatterOptions { Json = json, MinimumLevel = level })), errors));
            return;
        }

        builder.AddConsole(o =>
        {
            o.FormatterName = RavenLogFormatter.FormatterName;
            o.LogToStandardErrorThreshold = LogLevel.Trace; // stdout stays free for command output
        });
        builder.AddConsoleFormatter<RavenLogFormatter, RavenLogFormatterOptions>(o =>
        {
            o.Json = json;
            o.MinimumLevel = level;
        });
    });

    /// <summary>Parses a --log-level value; null when it is not a level name.</summary>
    public static LogLevel? ParseLevel(string? text) =>
        Enum.TryParse<LogLevel>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;

    private sealed class StaticOptions(RavenLogFormatterOptions value) : IOptionsMonitor<RavenLogFormatterOptions>
    {
        public RavenLogFormatterOptions CurrentValue => value;

        public RavenLogFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RavenLogFormatterOptions, string?> listener) => null;
    }

    /// <summary>Writes formatted lines to a TextWriter (tests, captured output), synchronously and in order.</summary>
    private sealed class WriterLoggerProvider(RavenLogFormatter formatter, TextWriter writer) : ILoggerProvider
    {
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new WriterLogger(categoryName, formatter, writer, _gate);

        public void Dispose()
        {
        }
    }

    private sealed class WriterLogger(string category, RavenLogFormatter formatter, TextWriter writer, Lock gate) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter1)
        {
            lock (gate)
            {
                formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter1), null, writer);
                writer.Flush();
            }
        }
    }
}
