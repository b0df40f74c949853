using System.CommandLine;
using Microsoft.Extensions.Logging;
using Raven.Kube.Observability;

namespace Raven.Cli.Commands;

/// <summary>The logging flags of the long-running commands; every line goes to stderr through <see cref="RavenLogFormatter"/>.</summary>
internal static class Logs
{
    public const string Text = "text";
    public const string Json = "json";

    public static Option<string> LevelOption()
    {
        var option = new Option<string>("--log-level") { Description = "Trace, Debug (adds stack traces), Information, Warning or Error.", DefaultValueFactory = _ => "Information" };
        option.Validators.Add(result =>
        {
            if (RavenLogging.ParseLevel(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--log-level '{result.GetValueOrDefault<string>()}': use Trace, Debug, Information, Warning or Error");
            }
        });
        return option;
    }

    public static Option<string> FormatOption()
    {
        var option = new Option<string>("--log-format") { Description = "text (one line per event) or json (one object per line, for log shippers).", DefaultValueFactory = _ => Text };
        option.AcceptOnlyFromAmong(Text, Json);
        return option;
    }

    public static ILoggerFactory Create(string level, string format = Text, TextWriter? errors = null) =>
        RavenLogging.Create(RavenLogging.ParseLevel(level) ?? LogLevel.Information, format == Json, errors);
}
