namespace Raven.ApiServer;

/// <summary>Background garbage collection: an object whose owners are all gone is deleted (finalizers still apply).</summary>
internal sealed partial class ApiCore
{
    private void CollectDependents(string ownerUid)
    {
        if (ownerUid.Length == 0) return;
        var dependents = _registry.All
            .SelectMany(t => _store.List(t.TypeKey, null).Where(o => o.Facts.OwnerUids.Contains(ownerUid)).Select(o => (Type: t, Object: o)))
            .ToList();
        if (dependents.Count == 0) return;
        var living = _registry.All.SelectMany(t => _store.List(t.TypeKey, null)).Select(o => o.Facts.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var (type, dependent) in dependents)
        {
            if (dependent.Facts.OwnerUids.Any(living.Contains)) continue;
            var current = _store.Get(type.TypeKey, dependent.Facts.Namespace.Length == 0 ? null : dependent.Facts.Namespace, dependent.Facts.Name);
            if (current is not null && current.ResourceVersion == dependent.ResourceVersion) DeleteLocked(type, current);
        }
    }
}
