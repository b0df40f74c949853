using System.Globalization;
using System.Text;
using System.Text.Json;
using Raven.Api.Manifests;
using Raven.Cli.Status;

namespace Raven.Cli.Trace;

/// <summary>-o table|json|yaml for a trace; json/yaml share `raven status`'s conventions (camelCase, nulls left out).</summary>
public static class TraceFormats
{
    public static string Render(TraceReport report, string format) => format switch
    {
        Commands.StatusCommand.Json => ToJson(report),
        Commands.StatusCommand.Yaml => YamlWriter.Write(JsonSerializer.SerializeToNode(report, StatusFormats.Json)),
        _ => ToTable(report),
    };

    public static string ToJson(TraceReport report) => JsonSerializer.Serialize(report, StatusFormats.Json) + "\n";

    public static TraceReport? FromJson(string text) => JsonSerializer.Deserialize<TraceReport>(text, StatusFormats.Json);

    /// <summary>
    /// The verdict and both ends first; then one row per hop of the request, the reason last so it may run long; then
    /// the reply: one line when it takes the mirror path, else what differs and its own hops.
    /// </summary>
    public static string ToTable(TraceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"TRACE {report.Source} -> {report.Destination}: {report.Verdict}\n");
        if (report.Error is { } error)
        {
            return text.Append("  ").Append(error).Append('\n').ToString();
        }

        text.Append("  from ").Append(Describe(report.From!)).Append('\n');
        text.Append("  to   ").Append(Describe(report.To!)).Append("\n\n");
        Hops(report.Hops, text);
        if (report.Symmetry is not { } symmetry)
        {
            return text.ToString();
        }

        // The common case stays short: a mirror path is one line; an asymmetric reply gets its own hops and reasons.
        text.Append('\n').Append("REPLY ").Append(report.Destination).Append(" -> ").Append(report.Source).Append(": ").Append(symmetry.Summary).Append('\n');
        if (symmetry.Symmetric)
        {
            return text.ToString();
        }

        foreach (var difference in symmetry.Differences)
        {
            text.Append("  - ").Append(difference).Append('\n');
        }

        text.Append('\n');
        Hops(report.ReplyHops ?? [], text);
        return text.ToString();
    }

    private static void Hops(IReadOnlyList<TraceHop> hops, StringBuilder text)
    {
        var table = new TextTable("#", "HOP", "NAME", "ADDRESS", "HEALTH", "BASIS", "REASON");
        var index = 1;
        foreach (var hop in hops)
        {
            table.Add((index++).ToString(CultureInfo.InvariantCulture), hop.Kind, hop.Name, hop.Address ?? "-", hop.Health, hop.Basis, hop.Reason);
        }

        table.WriteTo(text, "");
    }

    private static string Describe(TraceEnd end) =>
        $"{end.Kind} {(end.Pod is { } pod ? pod + " on node " : "")}{end.Node} ({end.Gateway ?? "in no gateway"}){(end.Address is { } a ? " " + a : "")}";
}
