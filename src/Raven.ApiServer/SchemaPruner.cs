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

    /// <summary>Prunes in place; returns the paths of the undeclared fields it removed (<c>spec.endpoints[0].port</c>).</summary>
    public static IReadOnlyList<string> Prune(JsonObject obj, JsonObject schema)
    {
        var pruned = new List<string>();
        PruneObject(obj, schema, keepTypeMeta: true, "", pruned);
        return pruned;
    }

    private static void Prune(JsonNode? node, JsonObject? schema, string path, List<string> pruned)
    {
        if (schema is null) return;
        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, schema, IsTrue(schema, "x-kubernetes-embedded-resource"), path, pruned);
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++) Prune(array[i], itemSchema, $"{path}[{i}]", pruned);
                break;
        }
    }

    private static void PruneObject(JsonObject obj, JsonObject schema, bool keepTypeMeta, string path, List<string> pruned)
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
                Prune(obj[key], declared, properties?[key] is null ? $"{path}[{key}]" : Join(path, key), pruned);
            }
            else if (!preserve && !(additional is JsonValue v && v.TryGetValue<bool>(out var allowed) && allowed))
            {
                obj.Remove(key);
                pruned.Add(Join(path, key));
            }
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static bool IsTrue(JsonObject schema, string name) =>
        schema[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
