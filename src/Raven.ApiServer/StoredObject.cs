using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>An immutable stored object: its JSON in the storage version plus the facts selectors need.</summary>
internal sealed record StoredObject(string TypeKey, string Key, string Json, long ResourceVersion, ObjectFacts Facts)
{
    public JsonObject Parse() => (JsonObject)JsonNode.Parse(Json)!;

    public static string KeyOf(string? ns, string name) => (ns ?? "") + "/" + name;
}

/// <summary>One change as watchers see it; BOOKMARK events carry no object.</summary>
internal sealed record WatchEvent(string Type, long ResourceVersion, StoredObject? Object, StoredObject? Previous)
{
    /// <summary>Memory the event keeps alive (UTF-16 JSON of both versions), counted against the history and the watchers' queues.</summary>
    public long Bytes => sizeof(char) * ((long)(Object?.Json.Length ?? 0) + (Previous?.Json.Length ?? 0));

    /// <summary>The bookmark that ends the initial events of a sendInitialEvents watch.</summary>
    public const string InitialEventsEnd = "BOOKMARK_INITIAL_EVENTS_END";
}
