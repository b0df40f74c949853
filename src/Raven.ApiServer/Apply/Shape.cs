using System.Text.Json.Nodes;

namespace Raven.ApiServer.Apply;

/// <summary>How server-side apply merges a list: replaced whole, as a set of scalars, or item by item on key fields.</summary>
internal sealed record ListKind(IReadOnlyList<string>? Keys, bool IsSet)
{
    public static ListKind Atomic { get; } = new(null, false);
    public static ListKind Set { get; } = new(null, true);
}

/// <summary>
/// What apply needs to know of a type at one point of an object: which lists are keyed, which are sets, which
/// objects are atomic. Custom resources answer from their structural schema (x-kubernetes-list-type,
/// x-kubernetes-list-map-keys, x-kubernetes-map-type); built-in kinds from the merge keys of their Go types.
/// </summary>
internal abstract class Shape
{
    public abstract Shape Field(string name);

    public abstract Shape Items();

    public abstract ListKind List(string field, JsonArray value);

    public abstract bool AtomicObject { get; }

    public static Shape For(ResourceType type, string version) =>
        type.IsCustom && type.Schemas.TryGetValue(version, out var schema) ? new SchemaShape(schema) : BuiltinShape.Root;
}

/// <summary>The list semantics of the built-in kinds Raven meets, keyed by field name as their Go types declare them.</summary>
internal sealed class BuiltinShape : Shape
{
    private static readonly Dictionary<string, string[]> MapKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = ["name"],
        ["initContainers"] = ["name"],
        ["ephemeralContainers"] = ["name"],
        ["ports"] = ["containerPort", "port"],
        ["env"] = ["name"],
        ["volumes"] = ["name"],
        ["volumeMounts"] = ["mountPath"],
        ["volumeDevices"] = ["devicePath"],
        ["conditions"] = ["type"],
        ["taints"] = ["key"],
        ["ownerReferences"] = ["uid"],
        ["imagePullSecrets"] = ["name"],
        ["hostAliases"] = ["ip"],
    };

    private static readonly HashSet<string> Sets = new(StringComparer.Ordinal) { "finalizers" };

    public static BuiltinShape Root { get; } = new();

    public override Shape Field(string name) => this;

    public override Shape Items() => this;

    public override bool AtomicObject => false;

    public override ListKind List(string field, JsonArray value)
    {
        if (Sets.Contains(field) && value.All(v => v is JsonValue)) return ListKind.Set;
        if (!MapKeys.TryGetValue(field, out var candidates)) return ListKind.Atomic;
        var key = candidates.FirstOrDefault(k => value.All(i => i is JsonObject o && o[k] is JsonValue));
        return key is null ? ListKind.Atomic : new ListKind([key], false);
    }
}

/// <summary>A point in a custom resource's structural schema.</summary>
internal sealed class SchemaShape(JsonObject? schema) : Shape
{
    public override Shape Field(string name) =>
        new SchemaShape(schema?["properties"]?[name] as JsonObject ?? schema?["additionalProperties"] as JsonObject);

    public override Shape Items() => new SchemaShape(schema?["items"] as JsonObject);

    public override bool AtomicObject => Text(schema, "x-kubernetes-map-type") == "atomic";

    public override ListKind List(string field, JsonArray value)
    {
        var list = schema?["properties"]?[field] as JsonObject ?? schema?["additionalProperties"] as JsonObject;
        return Text(list, "x-kubernetes-list-type") switch
        {
            "set" => ListKind.Set,
            "map" when list?["x-kubernetes-list-map-keys"] is JsonArray keys => new ListKind(keys.Select(k => k!.GetValue<string>()).ToList(), false),
            _ => ListKind.Atomic,
        };
    }

    private static string? Text(JsonObject? obj, string name) => obj?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
