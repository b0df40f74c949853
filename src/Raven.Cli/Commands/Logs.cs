using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Raven.Cli.Commands;

/// <summary>Structured single-line logs on stderr for the long-running commands.</summary>
internal static class Logs
{
    public static ILoggerFactory Create(string level) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(Enum.TryParse<LogLevel>(level, ignoreCase: true, out var parsed) ? parsed : LogLevel.Information)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        })
        .AddFilter("Microsoft", LogLevel.Warning));

    public static Option<string> LevelOption() => new("--log-level") { Description = "Trace, Debug, Information, Warning or Error.", DefaultValueFactory = _ => "Information" };
}
