using System.Text.Json.Nodes;
using Raven.ApiServer.Apply;

namespace Raven.ApiServer;

/// <summary>
/// Server-side apply (application/apply-patch+yaml): the applied configuration is merged into the live object, the
/// fields its manager applied before and left out now are removed unless someone else owns them, and changing a field
/// another manager owns is a 409 conflict unless force=true, which takes the field over.
/// </summary>
internal sealed partial class ApiCore
{
    /// <returns>The object as stored, and whether the apply created it (201 then, as on a real server).</returns>
    public (JsonObject Object, bool Created) Apply(ResourceType type, string version, string? ns, string name, string? subresource, JsonObject config,
        WriteOptions options)
    {
        if (string.IsNullOrEmpty(options.FieldManager))
        {
            throw ApiException.InvalidKind("PatchOptions", "meta.k8s.io", "", [new FieldError("fieldManager", "Required value: is required for apply patch", "FieldValueRequired")]);
        }

        CheckTypeMeta(type, version, config);
        var meta = ObjectMeta.Of(config);
        var configName = ObjectMeta.Text(meta, "name");
        if (string.IsNullOrEmpty(configName)) meta["name"] = name;
        else if (configName != name) throw ApiException.BadRequest($"the name of the object ({configName}) does not match the name on the URL ({name})");

        var shape = Shape.For(type, version);
        var applied = OwnedByApply(type, subresource, config, shape);
        var now = ObjectMeta.Now(_clock);
        StoredObject stored;
        bool created;
        lock (_store.Gate)
        {
            var existing = _store.Get(type.TypeKey, ns, name);
            created = existing is null;
            if (existing is null)
            {
                if (subresource is not null) throw ApiException.NotFound(type, name);
                var entry = new ManagedFieldsEntry
                {
                    Manager = options.FieldManager, Operation = ManagedFields.Apply, ApiVersion = type.ApiVersion(version), Time = now, Fields = applied,
                };
                stored = CreateLocked(type, version, ns, (JsonObject)config.DeepClone(), options, [entry]);
            }
            else
            {
                var live = _codec.ToVersion(type, existing.Parse(), version);
                var owners = ManagedFields.Read(live);
                var applier = owners.FirstOrDefault(e => e.SameOwner(options.FieldManager, ManagedFields.Apply, "", subresource));
                if (applier is null)
                {
                    applier = new ManagedFieldsEntry
                    {
                        Manager = options.FieldManager, Operation = ManagedFields.Apply, ApiVersion = type.ApiVersion(version), Subresource = subresource,
                        Fields = new FieldSet(),
                    };
                    owners.Add(applier);
                }

                var merged = FieldTree.Merge(live, config, shape);
                // Fields this manager applied before and no longer applies go, unless another manager still owns them.
                foreach (var path in applier.Fields.Members().Where(p => !applied.Contains(p)).Reverse().ToList())
                {
                    if (!owners.Any(o => !ReferenceEquals(o, applier) && o.Fields.Contains(path))) FieldTree.RemoveAt(merged, path);
                }

                var changed = FieldTree.Changed(live, merged, shape);
                var conflicts = ManagedFields.Conflicts(owners, applier, changed);
                if (conflicts.Count > 0 && !options.Force) throw ManagedFields.ConflictError(conflicts);
                foreach (var (owner, path) in conflicts) owner.Fields.Remove(path);
                applier.Fields = applied;
                applier.ApiVersion = type.ApiVersion(version);
                applier.Time = now;
                owners.RemoveAll(o => o.Fields.IsEmpty);
                stored = WriteLocked(type, version, existing, subresource, merged, options, owners);
            }
        }

        return (_codec.ToVersion(type, stored.Parse(), version), created);
    }

    /// <summary>What an apply owns: its configuration's fields, the status alone for the status subresource, never the status otherwise.</summary>
    private static FieldSet OwnedByApply(ResourceType type, string? subresource, JsonObject config, Shape shape)
    {
        var set = FieldTree.Of(config, shape);
        foreach (var path in set.Members().ToList())
        {
            var isStatus = path[0] == "f:status";
            if ((subresource == "status" && !isStatus) || (subresource is null && type.HasStatus && isStatus)) set.Remove(path);
        }

        return set;
    }
}
