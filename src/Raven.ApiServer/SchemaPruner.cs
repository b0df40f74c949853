using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>
/// Drops fields a structural openAPIV3Schema does not declare, as Kubernetes does for custom resources:
/// properties, items and additionalProperties are followed; x-kubernetes-preserve-unknown-fields keeps unknown
/// fields; apiVersion, kind and metadata stay at the root and in x-kubernetes-embedded-resource objects. A null for a
/// declared property that is neither nullable nor defaulted is dropped too (the apiextensions server's
/// PruneNonNullableNullsWithoutDefaults), so <c>spec: null</c> reads as no spec.
/// </summary>
internal static class SchemaPruner
{
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    public static void Prune(JsonObject obj, JsonObject schema) => PruneObject(obj, schema, keepTypeMeta: true);

    private static void Prune(JsonNode? node, JsonObject? schema)
    {
        if (schema is null) return;
        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, schema, IsTrue(schema, "x-kubernetes-embedded-resource"));
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array) Prune(item, itemSchema);
                break;
        }
    }

    private static void PruneObject(JsonObject obj, JsonObject schema, bool keepTypeMeta)
    {
        var preserve = IsTrue(schema, "x-kubernetes-preserve-unknown-fields");
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (keepTypeMeta && RootFields.Contains(key))
            {
                continue;
            }

            var declared = properties?[key] as JsonObject ?? additional as JsonObject;
            if (declared is not null && obj[key] is null && !IsTrue(declared, "nullable") && declared["default"] is null)
            {
                obj.Remove(key);
            }
            else if (declared is not null)
            {
                Prune(obj[key], declared);
            }
            else if (!preserve && !(additional is JsonValue v && v.TryGetValue<bool>(out var allowed) && allowed))
            {
                obj.Remove(key);
            }
        }
    }

    private static bool IsTrue(JsonObject schema, string name) =>
        schema[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
