using System.Text.Json.Nodes;
using Raven.ApiServer.Apply;

namespace Raven.ApiServer;

internal sealed partial class ApiCore
{
    public JsonObject Update(ResourceType type, string version, string? ns, string name, string? subresource, JsonObject body,
        WriteOptions? options = null)
    {
        StoredObject stored;
        lock (_store.Gate)
        {
            var existing = _store.Get(type.TypeKey, ns, name) ?? throw ApiException.NotFound(type, name);
            stored = WriteLocked(type, version, existing, subresource, body, options ?? WriteOptions.Default);
        }

        return _codec.ToVersion(type, stored.Parse(), version);
    }

    /// <summary>Applies a merge, strategic merge or JSON patch to the current object, then writes it like an update.</summary>
    public JsonObject Patch(ResourceType type, string version, string? ns, string name, string? subresource, string patchType, JsonNode patch,
        WriteOptions? options = null)
    {
        StoredObject stored;
        lock (_store.Gate)
        {
            var existing = _store.Get(type.TypeKey, ns, name) ?? throw ApiException.NotFound(type, name);
            var current = _codec.ToVersion(type, existing.Parse(), version);
            var patched = patchType switch
            {
                "json" when patch is JsonArray ops => JsonPatch.Apply(current, ops),
                "json" => throw ApiException.BadRequest("json patch must be a JSON array of operations"),
                "strategic" when !type.IsCustom => StrategicMergePatch.Apply(current, patch),
                _ => JsonMergePatch.Apply(current, patch),
            };
            if (patched is not JsonObject patchedObj) throw ApiException.BadRequest("the patch must produce a JSON object");
            stored = WriteLocked(type, version, existing, subresource, patchedObj, options ?? WriteOptions.Default);
        }

        return _codec.ToVersion(type, stored.Parse(), version);
    }

    /// <param name="applied">The managedFields an apply computed; null records this write as an Update of its manager.</param>
    private StoredObject WriteLocked(ResourceType type, string version, StoredObject existing, string? subresource, JsonObject body,
        WriteOptions options, List<ManagedFieldsEntry>? applied = null)
    {
        CheckTypeMeta(type, version, body);
        var name = existing.Facts.Name;
        var meta = ObjectMeta.Of(body);
        var bodyName = ObjectMeta.Text(meta, "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var bodyRv = ObjectMeta.Text(meta, "resourceVersion");
        if (!string.IsNullOrEmpty(bodyRv) && ListOptions.ParseResourceVersion(bodyRv) != existing.ResourceVersion)
        {
            throw ApiException.Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
        }

        var oldStorage = existing.Parse();
        var oldInVersion = _codec.ToVersion(type, existing.Parse(), version);
        // A client may replace managedFields (e.g. clear them with []); otherwise the stored ones carry on.
        var owners = applied ?? (subresource is null && meta["managedFields"] is JsonArray ? ManagedFields.Read(body) : ManagedFields.Read(oldStorage));
        var candidate = Isolate(type, subresource, body, oldInVersion);
        ObjectMeta.KeepSystemFields(candidate, oldInVersion);
        var newStorage = Admit(type, version, candidate, oldInVersion, subresource, options);
        PrepareBuiltinUpdate(type, newStorage, oldStorage);
        CheckSize(type, newStorage);

        var newMeta = ObjectMeta.Of(newStorage);
        if (Changed(Content(type, newStorage), Content(type, oldStorage)))
        {
            newMeta["generation"] = (newMeta["generation"]?.GetValue<long>() ?? 1) + 1;
        }

        newMeta["resourceVersion"] = oldStorage["metadata"]!["resourceVersion"]?.DeepClone();
        StampManagedFields(type, version, oldStorage, newStorage, owners, applied is not null, subresource, options);
        // A write that changes nothing (managedFields' times aside) is a no-op, as on a real server.
        if (!Changed(WithoutManagedFields(newStorage), WithoutManagedFields(oldStorage)) &&
            JsonNode.DeepEquals(OwnersOnly(newStorage), OwnersOnly(oldStorage))) return existing;
        if (options.DryRun) return DryRunResult(type, newStorage, oldStorage);

        if (newMeta["deletionTimestamp"] is not null && ObjectMeta.Finalizers(newStorage).Count == 0)
        {
            var interim = _store.Put(type.TypeKey, newStorage);
            return RemoveLocked(type, interim);
        }

        var stored = _store.Put(type.TypeKey, newStorage);
        AfterWrite(type, stored, subresource);
        return stored;
    }

    /// <summary>Main-resource writes keep the stored status; status writes keep everything but the status.</summary>
    private static JsonObject Isolate(ResourceType type, string? subresource, JsonObject body, JsonObject old)
    {
        switch (subresource)
        {
            case null:
                if (type.HasStatus)
                {
                    if (old["status"] is { } status) body["status"] = status.DeepClone();
                    else body.Remove("status");
                }

                return body;
            case "status":
                {
                    var result = (JsonObject)old.DeepClone();
                    if (body["status"] is { } status) result["status"] = status.DeepClone();
                    else result.Remove("status");
                    return result;
                }

            default:
                {
                    var result = (JsonObject)old.DeepClone();
                    var status = result["status"] as JsonObject ?? new JsonObject();
                    status["conditions"] = body["status"]?["conditions"]?.DeepClone();
                    result["status"] = status;
                    return result;
                }
        }
    }

    /// <summary>What counts toward generation: everything but metadata, and but status where status is a subresource.</summary>
    private static JsonObject Content(ResourceType type, JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is "metadata" or "apiVersion" or "kind" || (key == "status" && type.HasStatus)) continue;
            copy[key] = value?.DeepClone();
        }

        return copy;
    }

    private static bool Changed(JsonNode a, JsonNode b) => !JsonNode.DeepEquals(a, b);

    /// <summary>
    /// Writes metadata.managedFields: an apply's entries as computed, or this write recorded as an Update by its
    /// manager (fieldManager, else the User-Agent's product name) owning the fields it changed.
    /// </summary>
    private void StampManagedFields(ResourceType type, string version, JsonObject? oldStorage, JsonObject newStorage,
        List<ManagedFieldsEntry> owners, bool applied, string? subresource, WriteOptions options)
    {
        if (!applied)
        {
            var shape = Shape.For(type, type.StorageVersion);
            var changed = FieldTree.Changed(oldStorage is null ? null : WithoutManagedFields(oldStorage), WithoutManagedFields(newStorage), shape);
            ManagedFields.RecordUpdate(owners, changed, newStorage, options.Manager, type.ApiVersion(version), subresource, ObjectMeta.Now(_clock));
        }

        ManagedFields.Write(newStorage, owners);
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    /// <summary>managedFields without their times, to tell a real ownership change from a repeated write.</summary>
    private static JsonArray OwnersOnly(JsonObject obj)
    {
        var list = new JsonArray();
        foreach (var entry in (obj["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var copy = (JsonObject)entry.DeepClone();
            copy.Remove("time");
            list.Add(copy);
        }

        return list;
    }
}
