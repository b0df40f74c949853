using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Raven.Kube.Observability;

/// <summary>Settings of <see cref="RavenLogFormatter"/>.</summary>
public sealed class RavenLogFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>One JSON object per line instead of text.</summary>
    public bool Json { get; set; }

    /// <summary>The process's minimum level: at Debug or below, expected exceptions carry their stack too.</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;
}

/// <summary>
/// One line per event for every raven command: ISO-8601 UTC time, level, component (the logger category) and the
/// message. An exception is told by its causes on the same line; its stack follows only for unexpected exceptions
/// (<see cref="LogExceptions.IsExpected"/>) or at Debug level. JSON mode writes the same facts as one object per line
/// (time, level, component, message, error, stack, plus the message's named values) for log shippers.
/// </summary>
public sealed class RavenLogFormatter : ConsoleFormatter
{
    public const string FormatterName = "raven";

    private readonly IOptionsMonitor<RavenLogFormatterOptions> _options;

    public RavenLogFormatter(IOptionsMonitor<RavenLogFormatterOptions> options)
        : base(FormatterName) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Test seam: the clock the timestamps come from.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? logEntry.State?.ToString() ?? "";
        var options = _options.CurrentValue;
        var exception = logEntry.Exception;
        var withStack = exception is not null && (!LogExceptions.IsExpected(exception) || options.MinimumLevel <= LogLevel.Debug);
        var time = Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        if (options.Json)
        {
            WriteJson(textWriter, time, logEntry.LogLevel, logEntry.Category, message, exception, withStack, logEntry.State as IReadOnlyList<KeyValuePair<string, object?>>);
            return;
        }

        var line = new StringBuilder(time.Length + message.Length + 64)
            .Append(time).Append(' ').Append(LevelText(logEntry.LogLevel)).Append(' ')
            .Append(logEntry.Category).Append(": ").Append(OneLine(message));
        if (exception is not null)
        {
            line.Append(": ").Append(LogExceptions.OneLine(exception));
        }

        textWriter.Write(line.Append('\n').ToString());
        if (withStack)
        {
            // The one deliberate multi-line output: a bug's stack, indented under its event line.
            foreach (var stackLine in exception!.ToString().ReplaceLineEndings("\n").Split('\n'))
            {
                textWriter.Write("    ");
                textWriter.Write(stackLine);
                textWriter.Write('\n');
            }
        }
    }

    /// <summary>The fixed-width level word of text lines.</summary>
    public static string LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO ",
        LogLevel.Warning => "WARN ",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRIT ",
        _ => "NONE ",
    };

    private static string OneLine(string text) => text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
        ? text.ReplaceLineEndings(" | ")
        : text;

    private static void WriteJson(
        TextWriter textWriter, string time, LogLevel level, string category, string message, Exception? exception, bool withStack,
        IReadOnlyList<KeyValuePair<string, object?>>? values)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", time);
            json.WriteString("level", LevelText(level).Trim().ToLowerInvariant());
            json.WriteString("component", category);
            json.WriteString("message", message);
            if (exception is not null)
            {
                json.WriteString("error", LogExceptions.OneLine(exception));
                json.WriteString("errorType", exception.GetType().FullName);
                if (withStack)
                {
                    json.WriteString("stack", exception.ToString());
                }
            }

            foreach (var (key, value) in values ?? [])
            {
                if (key == "{OriginalFormat}" || key is "time" or "level" or "component" or "message" or "error" or "errorType" or "stack")
                {
                    continue;
                }

                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write('\n');
    }
}
