using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>
/// Strategic merge patch for the core types Raven uses: lists with a well-known merge key merge item by item,
/// finalizers merge as a set, the $patch / $deleteFromPrimitiveList / $retainKeys directives are honoured and
/// $setElementOrder is accepted; anything else behaves like a JSON merge patch.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string[]> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = ["name"],
        ["initContainers"] = ["name"],
        ["ephemeralContainers"] = ["name"],
        ["ports"] = ["containerPort", "port", "name"],
        ["env"] = ["name"],
        ["volumes"] = ["name"],
        ["volumeMounts"] = ["mountPath"],
        ["volumeDevices"] = ["devicePath"],
        ["addresses"] = ["type"],
        ["conditions"] = ["type"],
        ["taints"] = ["key"],
        ["ownerReferences"] = ["uid"],
        ["imagePullSecrets"] = ["name"],
        ["hostAliases"] = ["ip"],
        ["topologySpreadConstraints"] = ["topologyKey"],
    };

    private static readonly HashSet<string> PrimitiveSets = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObj) return patch?.DeepClone();
        var directive = (patchObj["$patch"] as JsonValue)?.GetValue<string>();
        if (directive == "replace") return WithoutDirectives(patchObj);
        if (directive == "delete") return null;

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObj)
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list && value is JsonArray remove)
                {
                    result[field] = new JsonArray(list.Where(i => !remove.Any(r => JsonNode.DeepEquals(r, i))).Select(i => i?.DeepClone()).ToArray());
                }

                continue;
            }

            if (key.StartsWith('$')) continue;
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray patchList)
            {
                result[key] = MergeList(result[key] as JsonArray, patchList, key);
            }
            else
            {
                var merged = Apply(result[key], value);
                if (merged is null) result.Remove(key);
                else result[key] = merged;
            }
        }

        if (patchObj["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList()) result.Remove(key);
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? existing, JsonArray patch, string field)
    {
        if (patch.Any(i => i is JsonObject o && o.Count == 1 && (o["$patch"] as JsonValue)?.GetValue<string>() == "replace"))
        {
            return new JsonArray(patch.Where(i => !(i is JsonObject o && o.ContainsKey("$patch"))).Select(i => i?.DeepClone()).ToArray());
        }

        if (existing is null) return new JsonArray(patch.Where(i => !IsDelete(i)).Select(Strip).ToArray());

        if (PrimitiveSets.Contains(field) && patch.All(i => i is JsonValue))
        {
            var union = existing.Select(i => i?.DeepClone()).ToList();
            union.AddRange(patch.Where(p => !union.Any(u => JsonNode.DeepEquals(u, p))).Select(p => p?.DeepClone()));
            return new JsonArray(union.ToArray());
        }

        var mergeKey = MergeKeys.TryGetValue(field, out var candidates)
            ? candidates.FirstOrDefault(k => patch.All(i => i is JsonObject o && o.ContainsKey(k)))
            : null;
        if (mergeKey is null) return new JsonArray(patch.Select(Strip).ToArray());

        var items = existing.Select(i => i?.DeepClone()).ToList();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var at = items.FindIndex(i => i is JsonObject o && JsonNode.DeepEquals(o[mergeKey], item[mergeKey]));
            if (IsDelete(item))
            {
                if (at >= 0) items.RemoveAt(at);
            }
            else if (at >= 0)
            {
                items[at] = Apply(items[at], item);
            }
            else
            {
                items.Add(Strip(item));
            }
        }

        return new JsonArray(items.ToArray());
    }

    private static bool IsDelete(JsonNode? item) =>
        item is JsonObject o && (o["$patch"] as JsonValue)?.GetValue<string>() == "delete";

    private static JsonNode? Strip(JsonNode? item) => item is JsonObject o ? WithoutDirectives(o) : item?.DeepClone();

    private static JsonObject WithoutDirectives(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key.StartsWith('$')) continue;
            copy[key] = value is JsonObject nested ? WithoutDirectives(nested) : value?.DeepClone();
        }

        return copy;
    }
}
