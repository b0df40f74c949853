using System.Globalization;
using System.Text.Json.Nodes;

namespace Raven.Controller.Tests.Webhooks;

/// <summary>Just enough RFC 6902 (add/replace/remove on objects and arrays) to check a patch applies as kube-apiserver would.</summary>
internal static class JsonPatchApplier
{
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        var result = document.DeepClone();
        foreach (var operation in patch)
        {
            var op = operation!["op"]!.GetValue<string>();
            var tokens = operation["path"]!.GetValue<string>().Split('/').Skip(1)
                .Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
            var parent = tokens.SkipLast(1).Aggregate(result, (node, token) => node is JsonArray array
                ? array[int.Parse(token, CultureInfo.InvariantCulture)]!
                : node[token] ?? throw new InvalidOperationException($"{operation["path"]}: parent does not exist"));
            var last = tokens[^1];
            var value = operation["value"]?.DeepClone();
            switch (parent, op)
            {
                case (JsonObject obj, "add"):
                    obj[last] = value;
                    break;
                case (JsonObject obj, "replace" or "remove") when !obj.ContainsKey(last):
                    throw new InvalidOperationException($"{operation["path"]}: {op} of a missing member");
                case (JsonObject obj, "replace"):
                    obj[last] = value;
                    break;
                case (JsonObject obj, "remove"):
                    obj.Remove(last);
                    break;
                case (JsonArray array, "replace"):
                    array[int.Parse(last, CultureInfo.InvariantCulture)] = value;
                    break;
                default:
                    throw new InvalidOperationException($"{op} on {operation["path"]} is not supported by this test helper");
            }
        }

        return result;
    }
}
