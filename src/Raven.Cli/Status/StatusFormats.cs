using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Raven.Api.Manifests;

namespace Raven.Cli.Status;

/// <summary>-o json|yaml: the report as it stands, camelCase keys, nulls left out; YAML is the same document.</summary>
public static class StatusFormats
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string ToJson(StatusReport report) => JsonSerializer.Serialize(report, Json) + "\n";

    public static string ToYaml(StatusReport report) => YamlWriter.Write(JsonSerializer.SerializeToNode(report, Json));

    public static StatusReport? FromJson(string text) => JsonSerializer.Deserialize<StatusReport>(text, Json);
}
