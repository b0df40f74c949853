using System.Text;
using System.Text.Json;
using Raven.Api.Manifests;
using Raven.Cli.Status;

namespace Raven.Cli.Diagnose;

/// <summary>-o table|json|yaml for the diagnosis; json/yaml share `raven status`'s conventions (camelCase, nulls left out).</summary>
public static class DiagnoseFormats
{
    public static string Render(DiagnoseReport report, string format) => format switch
    {
        Commands.StatusCommand.Json => ToJson(report),
        Commands.StatusCommand.Yaml => YamlWriter.Write(JsonSerializer.SerializeToNode(report, StatusFormats.Json)),
        _ => ToTable(report),
    };

    public static string ToJson(DiagnoseReport report) => JsonSerializer.Serialize(report, StatusFormats.Json) + "\n";

    public static DiagnoseReport? FromJson(string text) => JsonSerializer.Deserialize<DiagnoseReport>(text, StatusFormats.Json);

    /// <summary>
    /// One line per result in check order, status first so FAIL and WARN stand out in the left column; the remedy on
    /// the line below, aligned with the message; the counts last, where a terminal leaves the eye.
    /// </summary>
    public static string ToTable(DiagnoseReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var width = report.Results.Select(r => r.Check.Length).DefaultIfEmpty(0).Max();
        var text = new StringBuilder();
        foreach (var result in report.Results)
        {
            text.Append(result.Status).Append("  ").Append(result.Check.PadRight(width)).Append("  ").Append(result.Message).Append('\n');
            if (result.Remedy is { } remedy)
            {
                text.Append(' ', result.Status.Length + 2 + width + 2).Append("remedy: ").Append(remedy).Append('\n');
            }
        }

        return text.Append('\n').Append(report.Summary).Append('\n').ToString();
    }
}
