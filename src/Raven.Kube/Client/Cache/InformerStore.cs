namespace Raven.Kube.Client.Cache;

/// <summary>
/// Thread-safe local copy of the watched objects, keyed "namespace/name" (or "name"), with a built-in namespace
/// index and optional custom indexers. Readers get snapshots; only the owning informer writes.
/// </summary>
public sealed class InformerStore<T>
    where T : class
{
    public const string NamespaceIndex = "namespace";

    private readonly Func<T, string> _keyOf;
    private readonly Func<T, string?> _namespaceOf;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indices = new(StringComparer.Ordinal);

    public InformerStore(Func<T, string> keyOf, Func<T, string?> namespaceOf)
    {
        _keyOf = keyOf;
        _namespaceOf = namespaceOf;
        AddIndexer(NamespaceIndex, item => _namespaceOf(item) is { Length: > 0 } ns ? [ns] : []);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    /// <summary>Adds an index, e.g. Gateway name by node label; existing items are indexed immediately.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexFunc)
    {
        lock (_gate)
        {
            if (!_indexers.TryAdd(name, indexFunc))
            {
                throw new ArgumentException($"indexer '{name}' already exists", nameof(name));
            }

            _indices[name] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var (key, item) in _items)
            {
                IndexOne(name, indexFunc, key, item);
            }
        }
    }

    public T? Get(string key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public T? Get(string? ns, string name) => Get(Key(ns, name));

    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<string> Keys()
    {
        lock (_gate)
        {
            return [.. _items.Keys];
        }
    }

    /// <summary>Items whose indexer produced <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_gate)
        {
            if (!_indices.TryGetValue(indexName, out var index))
            {
                throw new ArgumentException($"no indexer named '{indexName}'", nameof(indexName));
            }

            return index.TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <summary>Inserts or replaces; returns the previous object, if any.</summary>
    internal T? Upsert(T item)
    {
        var key = _keyOf(item);
        lock (_gate)
        {
            var old = RemoveLocked(key);
            _items[key] = item;
            foreach (var (name, func) in _indexers)
            {
                IndexOne(name, func, key, item);
            }

            return old;
        }
    }

    internal T? Remove(string key)
    {
        lock (_gate)
        {
            return RemoveLocked(key);
        }
    }

    internal string KeyOf(T item) => _keyOf(item);

    private T? RemoveLocked(string key)
    {
        if (!_items.Remove(key, out var old))
        {
            return null;
        }

        foreach (var (name, func) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in func(old))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }

        return old;
    }

    private void IndexOne(string name, Func<T, IEnumerable<string>> func, string key, T item)
    {
        var index = _indices[name];
        foreach (var value in func(item))
        {
            if (!index.TryGetValue(value, out var keys))
            {
                keys = new HashSet<string>(StringComparer.Ordinal);
                index[value] = keys;
            }

            keys.Add(key);
        }
    }
}
