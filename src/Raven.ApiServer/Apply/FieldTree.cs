using System.Text.Json.Nodes;

namespace Raven.ApiServer.Apply;

/// <summary>The field sets of objects, their merge under apply, and reading or removing a field by its path.</summary>
internal static class FieldTree
{
    /// <summary>Fields the server owns: never part of anyone's managed fields.</summary>
    private static readonly HashSet<string> SystemMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink",
    };

    /// <summary>Every field of <paramref name="obj"/> as a set, without type meta and server-owned metadata.</summary>
    public static FieldSet Of(JsonObject obj, Shape shape)
    {
        var set = new FieldSet();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind") continue;
            if (key == "metadata" && value is JsonObject meta)
            {
                var metaShape = shape.Field("metadata");
                foreach (var (mk, mv) in meta)
                {
                    if (!SystemMetadata.Contains(mk)) Add(set, ["f:metadata", "f:" + mk], mk, mv, metaShape, meta);
                }

                continue;
            }

            Add(set, ["f:" + key], key, value, shape, obj);
        }

        return set;
    }

    private static void Add(FieldSet set, List<string> path, string field, JsonNode? value, Shape parent, JsonObject owner)
    {
        var shape = parent.Field(field);
        switch (value)
        {
            case JsonObject o when o.Count > 0 && !shape.AtomicObject:
                foreach (var (key, child) in o)
                {
                    path.Add("f:" + key);
                    Add(set, path, key, child, shape, o);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray list when parent.List(field, list) is { Keys: not null } or { IsSet: true }:
                var kind = parent.List(field, list);
                var items = shape.Items();
                foreach (var item in list)
                {
                    path.Add(ItemKey(kind, item));
                    set.Insert(path);
                    if (kind.Keys is not null && item is JsonObject itemObj)
                    {
                        foreach (var (key, child) in itemObj)
                        {
                            path.Add("f:" + key);
                            Add(set, path, key, child, items, itemObj);
                            path.RemoveAt(path.Count - 1);
                        }
                    }

                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                set.Insert(path);
                break;
        }
    }

    private static string ItemKey(ListKind kind, JsonNode? item)
    {
        if (kind.IsSet) return "v:" + (item?.ToJsonString() ?? "null");
        var key = new JsonObject();
        foreach (var k in kind.Keys!.Order(StringComparer.Ordinal)) key[k] = item?[k]?.DeepClone();
        return "k:" + key.ToJsonString();
    }

    /// <summary>Apply's merge: objects field by field, keyed lists item by item, sets as a union, the rest replaced.</summary>
    public static JsonObject Merge(JsonObject live, JsonObject config, Shape shape) => (JsonObject)MergeNode(live, config, shape)!;

    private static JsonNode? MergeNode(JsonNode? live, JsonNode? config, Shape shape)
    {
        if (config is not JsonObject cfg || live is not JsonObject liveObj || shape.AtomicObject) return config?.DeepClone();
        var result = (JsonObject)liveObj.DeepClone();
        foreach (var (key, value) in cfg)
        {
            if (value is JsonArray list && result[key] is JsonArray liveList && shape.List(key, list) is var kind && kind != ListKind.Atomic)
            {
                result[key] = MergeList(liveList, list, kind, shape.Field(key).Items());
                continue;
            }

            result[key] = MergeNode(result[key], value, shape.Field(key));
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray live, JsonArray config, ListKind kind, Shape items)
    {
        var result = live.Select(i => i?.DeepClone()).ToList();
        foreach (var item in config)
        {
            var at = result.FindIndex(r => ItemKey(kind, r) == ItemKey(kind, item));
            if (at < 0) result.Add(item?.DeepClone());
            else if (!kind.IsSet) result[at] = MergeNode(result[at], item, items);
        }

        return new JsonArray(result.ToArray());
    }

    /// <summary>The value at a path, or found=false when the object has nothing there.</summary>
    public static (bool Found, JsonNode? Value) At(JsonNode? root, IReadOnlyList<string> path)
    {
        var node = root;
        foreach (var element in path)
        {
            switch (node)
            {
                case JsonObject obj when element.StartsWith("f:", StringComparison.Ordinal) && obj.TryGetPropertyValue(element[2..], out var child):
                    node = child;
                    break;
                case JsonArray list when element.Length > 2 && element[0] is 'k' or 'v':
                    var index = list.Select((item, i) => (item, i)).FirstOrDefault(x => Matches(x.item, element), (null, -1)).Item2;
                    if (index < 0) return (false, null);
                    node = list[index];
                    break;
                default:
                    return (false, null);
            }
        }

        return (true, node);
    }

    /// <summary>Removes the field or list item at a path; nothing happens when it is not there.</summary>
    public static void RemoveAt(JsonObject root, IReadOnlyList<string> path)
    {
        if (path.Count == 0) return;
        var (found, parent) = At(root, path.Take(path.Count - 1).ToList());
        if (!found) return;
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj when last.StartsWith("f:", StringComparison.Ordinal):
                obj.Remove(last[2..]);
                break;
            case JsonArray list:
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (Matches(list[i], last)) list.RemoveAt(i);
                }

                break;
        }
    }

    private static bool Matches(JsonNode? item, string element)
    {
        if (element.StartsWith("v:", StringComparison.Ordinal)) return (item?.ToJsonString() ?? "null") == element[2..];
        if (!element.StartsWith("k:", StringComparison.Ordinal) || item is not JsonObject obj || JsonNode.Parse(element[2..]) is not JsonObject key) return false;
        return key.All(k => JsonNode.DeepEquals(obj[k.Key], k.Value));
    }

    /// <summary>The member paths whose value differs between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static FieldSet Changed(JsonObject? before, JsonObject after, Shape shape)
    {
        var changed = new FieldSet();
        var candidates = Of(after, shape).Members().ToList();
        if (before is not null) candidates.AddRange(Of(before, shape).Members());
        foreach (var path in candidates)
        {
            var (wasThere, was) = At(before, path);
            var (isThere, now) = At(after, path);
            var itemMarker = path[^1][0] is 'k' or 'v';
            if (wasThere != isThere || (!itemMarker && !JsonNode.DeepEquals(was, now))) changed.Insert(path);
        }

        return changed;
    }
}
