using System.Text.Json;
using System.Text.Json.Nodes;
using Raven.Api.Manifests;
using Raven.Api.Validation;

namespace Raven.Api.Schema;

/// <summary>
/// Applies a structural schema the way the Kubernetes API server does for custom resources:
/// unknown fields are pruned (reported, not rejected), wrong types and missing required fields are errors.
/// Values of the wrong type are removed so the object can still be decoded and checked further.
/// </summary>
public static class SchemaWalker
{
    public sealed record Result(IReadOnlyList<string> PrunedPaths, IReadOnlyList<FieldError> Errors);

    public static Result PruneAndCheck(JsonObject root, StructuralSchema schema)
    {
        var pruned = new List<string>();
        var errors = new List<FieldError>();
        foreach (var (name, child) in schema.Properties)
        {
            // metadata is ObjectMeta: the server validates it itself, never by the CRD schema.
            if (name != "metadata" && root[name] is { } value)
            {
                Walk(root, name, value, child, name, pruned, errors);
            }
        }

        foreach (var key in root.Select(p => p.Key).ToList())
        {
            if (!schema.Properties.ContainsKey(key))
            {
                root.Remove(key);
                pruned.Add(key);
            }
        }

        return new Result(pruned, errors);
    }

    private static void Walk(JsonNode parent, string key, JsonNode value, StructuralSchema schema, string path, List<string> pruned, List<FieldError> errors)
    {
        if (!TypeMatches(value, schema.Type))
        {
            errors.Add(FieldError.Invalid(path, Describe(value), $"must be of type {schema.Type}, not {KindName(value)}"));
            Detach(parent, key, value);
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                WalkObject(obj, schema, path, pruned, errors);
                break;
            case JsonArray array when schema.Items is not null:
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (array[i] is { } item)
                    {
                        Walk(array, i.ToString(System.Globalization.CultureInfo.InvariantCulture), item, schema.Items, FieldPath.Index(path, i), pruned, errors);
                    }
                }

                break;
        }
    }

    private static void WalkObject(JsonObject obj, StructuralSchema schema, string path, List<string> pruned, List<FieldError> errors)
    {
        // Checked first: a present value of the wrong type is reported as such, not also as missing.
        foreach (var required in schema.Required)
        {
            if (obj[required] is null)
            {
                errors.Add(FieldError.Required(FieldPath.Child(path, required), "is required"));
            }
        }

        foreach (var (key, child) in obj.ToList())
        {
            var childPath = FieldPath.Child(path, key);
            var childSchema = schema.Properties.GetValueOrDefault(key) ?? schema.AdditionalProperties;
            if (childSchema is null)
            {
                if (!schema.PreserveUnknownFields)
                {
                    obj.Remove(key);
                    pruned.Add(childPath);
                }

                continue;
            }

            if (child is not null)
            {
                Walk(obj, key, child, childSchema, childPath, pruned, errors);
            }
        }
    }

    private static void Detach(JsonNode parent, string key, JsonNode value)
    {
        if (parent is JsonObject obj)
        {
            obj.Remove(key);
        }
        else if (parent is JsonArray array)
        {
            array.Remove(value);
        }
    }

    private static bool TypeMatches(JsonNode value, string? type) => type switch
    {
        null => true,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value.GetValueKind() == JsonValueKind.String,
        "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.GetValueKind() == JsonValueKind.Number && IsWhole(value),
        "number" => value.GetValueKind() == JsonValueKind.Number,
        _ => true,
    };

    private static bool IsWhole(JsonNode value) => value is JsonValue v && (v.TryGetValue<long>(out _) || (v.TryGetValue<double>(out var d) && Math.Floor(d) == d));

    private static string KindName(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => IsWhole(value) ? "integer" : "number",
        _ => "null",
    };

    private static string Describe(JsonNode value) => value.ToJsonString();
}
