namespace Raven.Agent.Tunnel.IPsec;

/// <summary>What to change in charon to get from its loaded connections to the wanted ones.</summary>
public sealed record ConnectionChanges(
    IReadOnlyList<WantedConnection> ToLoad,
    IReadOnlyList<string> ToUnload,
    IReadOnlyList<string> Unchanged)
{
    public bool IsEmpty => ToLoad.Count == 0 && ToUnload.Count == 0;
}

/// <summary>
/// Pure diff of charon's connections (list-conns) against the wanted ones. A connection is unchanged when charon
/// holds one of that name whose only CHILD_SA config carries the wanted digest name; unchanged connections are never
/// sent again, so their SAs stay exactly as they are.
/// </summary>
public static class ConnectionDiff
{
    public static ConnectionChanges Compute(IReadOnlyList<LoadedConnection> loaded, IReadOnlyList<WantedConnection> wanted)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(wanted);
        var duplicate = wanted.GroupBy(w => w.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two wanted IPsec connections are named {duplicate.Key}.", nameof(wanted));
        }

        var byName = loaded.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var toLoad = new List<WantedConnection>();
        var unchanged = new List<string>();
        foreach (var connection in wanted)
        {
            if (byName.TryGetValue(connection.Name, out var current) && IsSame(current, connection))
            {
                unchanged.Add(connection.Name);
            }
            else
            {
                toLoad.Add(connection);
            }
        }

        var wantedNames = wanted.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var toUnload = loaded.Select(c => c.Name).Where(n => !wantedNames.Contains(n)).ToList();
        return new ConnectionChanges(toLoad, toUnload, unchanged);
    }

    private static bool IsSame(LoadedConnection current, WantedConnection wanted) =>
        current.Children is [{ } child] && child.Name == wanted.ChildName;
}
