using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else replaces.</summary>
internal static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObj) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObj)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = Apply(result[key], value);
            result[key] = merged;
        }

        return result;
    }
}
