using System.Text.Json.Nodes;

namespace Raven.Api.Schema;

/// <summary>The subset of an OpenAPI v3 structural schema that pruning and type checks need.</summary>
public sealed class StructuralSchema
{
    public string? Type { get; init; }
    public IReadOnlyDictionary<string, StructuralSchema> Properties { get; init; } = new Dictionary<string, StructuralSchema>();
    public StructuralSchema? Items { get; init; }
    public StructuralSchema? AdditionalProperties { get; init; }
    public bool PreserveUnknownFields { get; init; }
    public IReadOnlyList<string> Required { get; init; } = [];
    public string? Description { get; init; }

    /// <summary>Reads an openAPIV3Schema object (as JSON). Unknown keywords are ignored.</summary>
    public static StructuralSchema FromJson(JsonObject node)
    {
        var properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        if (node["properties"] is JsonObject props)
        {
            foreach (var (name, value) in props)
            {
                if (value is JsonObject child)
                {
                    properties[name] = FromJson(child);
                }
            }
        }

        return new StructuralSchema
        {
            Type = node["type"]?.GetValue<string>(),
            Properties = properties,
            Items = node["items"] is JsonObject items ? FromJson(items) : null,
            AdditionalProperties = node["additionalProperties"] is JsonObject additional ? FromJson(additional) : null,
            PreserveUnknownFields = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() ?? false,
            Required = node["required"] is JsonArray required ? required.Select(r => r!.GetValue<string>()).ToList() : [],
            Description = node["description"]?.GetValue<string>(),
        };
    }
}
