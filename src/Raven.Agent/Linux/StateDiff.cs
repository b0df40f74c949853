namespace Raven.Agent.Linux;

/// <summary>What to add, change and remove to turn <c>actual</c> into <c>desired</c>.</summary>
public sealed record StateDiff<T>(IReadOnlyList<T> ToAdd, IReadOnlyList<(T Actual, T Desired)> ToChange, IReadOnlyList<T> ToRemove)
{
    public bool IsEmpty => ToAdd.Count == 0 && ToChange.Count == 0 && ToRemove.Count == 0;
}

/// <summary>Pure key-based diff used by every reconciler.</summary>
public static class StateDiff
{
    /// <param name="key">Identity: two items with the same key are the same object.</param>
    /// <param name="same">True when an actual item already satisfies the desired one.</param>
    public static StateDiff<T> Compute<T, TKey>(IEnumerable<T> desired, IEnumerable<T> actual, Func<T, TKey> key, Func<T, T, bool> same)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(same);

        var wanted = new Dictionary<TKey, T>();
        foreach (var item in desired)
        {
            if (!wanted.TryAdd(key(item), item))
            {
                throw new ArgumentException($"desired state lists '{key(item)}' twice", nameof(desired));
            }
        }

        var add = new List<T>();
        var change = new List<(T, T)>();
        var remove = new List<T>();
        var seen = new HashSet<TKey>();
        foreach (var item in actual)
        {
            TKey k = key(item);
            if (!wanted.TryGetValue(k, out var want) || !seen.Add(k))
            {
                remove.Add(item);
            }
            else if (!same(item, want))
            {
                change.Add((item, want));
            }
        }

        add.AddRange(wanted.Where(pair => !seen.Contains(pair.Key)).Select(pair => pair.Value));
        return new StateDiff<T>(add, change, remove);
    }
}
