namespace Raven.ApiServer;

/// <summary>The set of served resources; custom ones are replaced as CustomResourceDefinitions change.</summary>
internal sealed class ResourceRegistry
{
    private volatile IReadOnlyList<ResourceType> _all = BuiltinResources.All;

    public IReadOnlyList<ResourceType> All => _all;

    public ResourceType? Find(string group, string version, string plural) =>
        _all.FirstOrDefault(t => t.Group == group && t.Plural == plural && t.Serves(version));

    public ResourceType? FindByKey(string typeKey) => _all.FirstOrDefault(t => t.TypeKey == typeKey);

    /// <summary>Groups in a stable order: built-in groups first, then custom groups alphabetically.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in _all.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct())
        {
            var versions = _all.Where(t => t.Group == group).SelectMany(t => t.Versions).Distinct()
                .OrderByDescending(KubeVersionOrder.Priority).ToList();
            result.Add((group, versions));
        }

        return result;
    }

    public void SetCustom(string typeKey, ResourceType? type)
    {
        var next = _all.Where(t => t.TypeKey != typeKey || !t.IsCustom).ToList();
        if (type is not null) next.Add(type);
        _all = next;
    }
}
