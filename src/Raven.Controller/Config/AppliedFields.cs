using System.Text.Json;
using System.Text.Json.Nodes;
using Raven.Api.Json;
using Raven.Api.V1Beta1;

namespace Raven.Controller.Config;

/// <summary>
/// Whether an apply configuration would change anything: the live object already holds every value of the body,
/// and the field manager owns no field the body leaves out (else applying it removes or releases that field).
/// </summary>
public static class AppliedFields
{
    public static bool NeedsApply(Gateway? live, JsonObject body, string fieldManager)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (live is null)
        {
            return true;
        }

        var liveJson = JsonNode.Parse(RavenJson.Serialize(live))!.AsObject();
        if (!Contains(liveJson["spec"], body["spec"]) || !Contains(liveJson["metadata"]?["annotations"], body["metadata"]?["annotations"]))
        {
            return true;
        }

        var wanted = Paths(body).ToHashSet(StringComparer.Ordinal);
        return OwnedPaths(live, fieldManager).Any(path => !wanted.Contains(path));
    }

    /// <summary>Every value in <paramref name="want"/> is in <paramref name="have"/>; lists compare whole (atomic).</summary>
    private static bool Contains(JsonNode? have, JsonNode? want) => want switch
    {
        null => true,
        JsonObject o => have is JsonObject h && o.All(p => Contains(h[p.Key], p.Value)),
        _ => have is not null && JsonNode.DeepEquals(have, want),
    };

    /// <summary>Leaf paths of a body ("spec.proxyConfig.Replicas"); a list is one leaf, as the Gateway schema's lists are atomic.</summary>
    private static IEnumerable<string> Paths(JsonNode? node, string prefix = "")
    {
        if (node is JsonObject o && o.Count > 0)
        {
            foreach (var (key, value) in o)
            {
                foreach (var path in Paths(value, prefix.Length == 0 ? key : $"{prefix}.{key}"))
                {
                    yield return path;
                }
            }
        }
        else
        {
            yield return prefix;
        }
    }

    /// <summary>The leaf paths the manager's Apply entry in managedFields (FieldsV1) owns under spec and metadata.annotations.</summary>
    private static IEnumerable<string> OwnedPaths(Gateway live, string fieldManager)
    {
        if (live.Metadata.Extra?.GetValueOrDefault("managedFields") is not { ValueKind: JsonValueKind.Array } entries)
        {
            return [];
        }

        var owned = new List<string>();
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.TryGetProperty("manager", out var manager) && manager.GetString() == fieldManager &&
                entry.TryGetProperty("fieldsV1", out var fields) && JsonNode.Parse(fields.GetRawText()) is JsonObject tree)
            {
                owned.AddRange(FieldPaths(tree, "").Where(p => p.StartsWith("spec.", StringComparison.Ordinal) || p.StartsWith("metadata.annotations.", StringComparison.Ordinal)));
            }
        }

        return owned;
    }

    private static IEnumerable<string> FieldPaths(JsonObject tree, string prefix)
    {
        foreach (var (key, value) in tree)
        {
            if (!key.StartsWith("f:", StringComparison.Ordinal))
            {
                continue; // "." (the node itself) and list keys ("k:", "v:") below an atomic list do not occur here
            }

            var path = prefix.Length == 0 ? key[2..] : $"{prefix}.{key[2..]}";
            if (value is JsonObject child && child.Any(p => p.Key.StartsWith("f:", StringComparison.Ordinal)))
            {
                foreach (var inner in FieldPaths(child, path))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
