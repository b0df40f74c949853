using System.Text.Json.Nodes;

namespace Raven.Controller.Webhooks;

/// <summary>
/// A small RFC 6902 diff: the add/replace/remove operations that turn one JSON document into another.
/// Objects are compared key by key; arrays of equal length element by element, otherwise replaced whole,
/// which keeps patches short for the few fields defaulting touches without needing an LCS.
/// </summary>
public static class JsonPatchDiff
{
    public static JsonArray Diff(JsonNode? from, JsonNode? to, string path = "")
    {
        var operations = new JsonArray();
        Walk(from, to, path, operations);
        return operations;
    }

    /// <summary>Escapes one reference token of a JSON Pointer ("a/b" → "a~1b").</summary>
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static void Walk(JsonNode? from, JsonNode? to, string path, JsonArray operations)
    {
        if (JsonNode.DeepEquals(from, to))
        {
            return;
        }

        switch (from, to)
        {
            case (JsonObject source, JsonObject target):
                foreach (var (key, value) in source)
                {
                    if (!target.ContainsKey(key))
                    {
                        operations.Add(Operation("remove", $"{path}/{Escape(key)}", null, includeValue: false));
                    }
                    else
                    {
                        Walk(value, target[key], $"{path}/{Escape(key)}", operations);
                    }
                }

                foreach (var (key, value) in target)
                {
                    if (!source.ContainsKey(key))
                    {
                        operations.Add(Operation("add", $"{path}/{Escape(key)}", value, includeValue: true));
                    }
                }

                break;
            case (JsonArray source, JsonArray target) when source.Count == target.Count:
                for (var i = 0; i < source.Count; i++)
                {
                    Walk(source[i], target[i], $"{path}/{i}", operations);
                }

                break;
            default:
                operations.Add(Operation("replace", path, to, includeValue: true));
                break;
        }
    }

    private static JsonObject Operation(string op, string path, JsonNode? value, bool includeValue)
    {
        var operation = new JsonObject { ["op"] = op, ["path"] = path };
        if (includeValue)
        {
            operation["value"] = value?.DeepClone();
        }

        return operation;
    }
}
