using System.Globalization;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over JSON pointers.</summary>
internal static class JsonPatch
{
    /// <exception cref="ApiException">422/400 when an operation is malformed or its path does not exist.</exception>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["r"] = document.DeepClone() };
        foreach (var opNode in operations)
        {
            if (opNode is not JsonObject op) throw ApiException.BadRequest("json patch: every operation must be an object");
            var kind = Text(op, "op");
            var path = Text(op, "path");
            switch (kind)
            {
                case "add": Add(root, path, Value(op)); break;
                case "remove": Remove(root, path); break;
                case "replace": Remove(root, path); Add(root, path, Value(op)); break;
                case "move":
                    {
                        var moved = Remove(root, Text(op, "from"));
                        Add(root, path, moved);
                        break;
                    }

                case "copy": Add(root, path, Resolve(root, Text(op, "from"))?.DeepClone()); break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), Value(op)))
                    {
                        throw new ApiException(422, "Invalid", $"json patch: test operation failed at \"{path}\"");
                    }

                    break;
                default: throw ApiException.BadRequest($"json patch: unknown operation \"{kind}\"");
            }
        }

        return root["r"]!;
    }

    private static string Text(JsonObject op, string name) =>
        op[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw ApiException.BadRequest($"json patch: operation is missing \"{name}\"");

    private static JsonNode? Value(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw ApiException.BadRequest("json patch: operation is missing \"value\"");

    private static (JsonNode Parent, string Token) Split(JsonObject root, string path)
    {
        if (path.Length > 0 && path[0] != '/') throw ApiException.BadRequest($"json patch: invalid path \"{path}\"");
        var tokens = ("/r" + path).Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        JsonNode? parent = root;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            parent = Child(parent, token) ?? throw Missing(path);
        }

        return (parent!, tokens[^1]);
    }

    private static JsonNode? Resolve(JsonObject root, string path)
    {
        var (parent, token) = Split(root, path);
        return Child(parent, token);
    }

    private static JsonNode? Child(JsonNode? node, string token) => node switch
    {
        JsonObject o => o[token],
        JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, token) = Split(root, path);
        switch (parent)
        {
            case JsonObject o: o[token] = value; break;
            case JsonArray a when token == "-": a.Add(value); break;
            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default: throw Missing(path);
        }
    }

    private static JsonNode? Remove(JsonObject root, string path)
    {
        var (parent, token) = Split(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
                {
                    var value = o[token];
                    o.Remove(token);
                    return value;
                }

            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                {
                    var value = a[i];
                    a.RemoveAt(i);
                    return value;
                }

            default: throw Missing(path);
        }
    }

    private static ApiException Missing(string path) => new(422, "Invalid", $"json patch: path \"{path}\" does not exist");
}
