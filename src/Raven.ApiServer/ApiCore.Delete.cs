using System.Text.Json.Nodes;

namespace Raven.ApiServer;

internal sealed partial class ApiCore
{
    public JsonObject Delete(ResourceType type, string version, string? ns, string name, JsonObject? options, bool dryRun = false)
    {
        StoredObject result;
        lock (_store.Gate)
        {
            var existing = _store.Get(type.TypeKey, ns, name) ?? throw ApiException.NotFound(type, name);
            CheckPreconditions(type, existing, options);
            var orphan = ObjectMeta.Text(options ?? [], "propagationPolicy") == "Orphan" || options?["orphanDependents"] is JsonValue o && o.TryGetValue<bool>(out var b) && b;
            result = dryRun ? existing : DeleteLocked(type, existing, collect: !orphan);
        }

        return _codec.ToVersion(type, result.Parse(), version);
    }

    public JsonObject DeleteCollection(ResourceType type, string version, string? ns, ListOptions options)
    {
        lock (_store.Gate)
        {
            foreach (var item in _store.List(type.TypeKey, ns).Where(o => options.Matches(o.Facts)).ToList())
            {
                DeleteLocked(type, item);
            }
        }

        return List(type, version, ns, options);
    }

    private static void CheckPreconditions(ResourceType type, StoredObject existing, JsonObject? options)
    {
        if (options?["preconditions"] is not JsonObject pre) return;
        var meta = ObjectMeta.Of(existing.Parse());
        var uid = ObjectMeta.Text(pre, "uid");
        if (!string.IsNullOrEmpty(uid) && uid != ObjectMeta.Text(meta, "uid"))
        {
            throw ApiException.Conflict(type, existing.Facts.Name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMeta.Text(meta, "uid")}");
        }

        var rv = ObjectMeta.Text(pre, "resourceVersion");
        if (!string.IsNullOrEmpty(rv) && ListOptions.ParseResourceVersion(rv) != existing.ResourceVersion)
        {
            throw ApiException.Conflict(type, existing.Facts.Name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {existing.ResourceVersion}");
        }
    }

    /// <summary>With finalizers only marks the object deleted; otherwise removes it (namespaces and CRDs take their content along).</summary>
    private StoredObject DeleteLocked(ResourceType type, StoredObject existing, bool collect = true)
    {
        var obj = existing.Parse();
        var meta = ObjectMeta.Of(obj);
        var marked = existing;
        if (meta["deletionTimestamp"] is null && (ObjectMeta.Finalizers(obj).Count > 0 || type == BuiltinResources.Namespaces))
        {
            meta["deletionTimestamp"] = ObjectMeta.Now(_clock);
            meta["deletionGracePeriodSeconds"] = 0;
            if (type == BuiltinResources.Namespaces) obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            marked = _store.Put(type.TypeKey, obj);
        }

        if (type == BuiltinResources.Namespaces)
        {
            foreach (var contentType in _registry.All.Where(t => t.Namespaced))
            {
                foreach (var item in _store.List(contentType.TypeKey, existing.Facts.Name).ToList())
                {
                    DeleteLocked(contentType, item);
                }
            }

            return FinishNamespaceIfEmpty(existing.Facts.Name) ?? marked;
        }

        if (type == BuiltinResources.CustomResourceDefinitions && ObjectMeta.Finalizers(obj).Count == 0)
        {
            var crType = CrdTypeKey(obj);
            var served = _registry.FindByKey(crType);
            foreach (var item in _store.List(crType, null).ToList())
            {
                if (served is not null) RemoveLocked(served, item);
            }

            _registry.SetCustom(crType, null);
        }

        return ObjectMeta.Finalizers(obj).Count > 0 ? marked : RemoveLocked(type, marked, collect);
    }

    private StoredObject RemoveLocked(ResourceType type, StoredObject existing, bool collect = true)
    {
        var gone = _store.Remove(existing);
        if (collect) CollectDependents(existing.Facts.Uid);
        if (type == BuiltinResources.Services)
        {
            _clusterIps.Release(ObjectMeta.Text(gone.Parse()["spec"] as JsonObject ?? [], "clusterIP"));
        }

        if (type.Namespaced) FinishNamespaceIfEmpty(existing.Facts.Namespace);
        return gone;
    }

    private StoredObject? FinishNamespaceIfEmpty(string ns)
    {
        var nsObj = _store.Get(BuiltinResources.Namespaces.TypeKey, null, ns);
        if (nsObj is null) return null;
        var parsed = nsObj.Parse();
        if (ObjectMeta.Of(parsed)["deletionTimestamp"] is null || ObjectMeta.Finalizers(parsed).Count > 0) return null;
        if (_registry.All.Where(t => t.Namespaced).Any(t => _store.List(t.TypeKey, ns).Any())) return null;
        return _store.Remove(nsObj);
    }
}
