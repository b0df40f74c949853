using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Raven.ApiServer;

/// <summary>
/// All objects, the global resourceVersion counter, a bounded event history and the live watchers. Callers hold
/// <see cref="Gate"/> around a whole read-modify-write so a resourceVersion check and the write are one step.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _byType = new(StringComparer.Ordinal);
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private readonly int _historySize;
    private readonly long _historyBytes;
    private readonly long _watcherQueueBytes;
    private readonly FileObjectStorage? _files;
    private long _compactedRv;
    private long _historyHeld;

    /// <param name="historySize">Most events kept for watches that resume from a resourceVersion.</param>
    /// <param name="historyBytes">Most bytes of objects those events may hold (the older are dropped first).</param>
    /// <param name="watcherQueueBytes">Most bytes a watcher may have queued before it is closed as too slow.</param>
    public ObjectStore(int historySize, FileObjectStorage? files, long historyBytes = long.MaxValue, long watcherQueueBytes = long.MaxValue)
    {
        _historySize = Math.Max(1, historySize);
        _historyBytes = Math.Max(1, historyBytes);
        _watcherQueueBytes = Math.Max(1, watcherQueueBytes);
        _files = files;
    }

    /// <summary>Bytes of object JSON the watch history holds now.</summary>
    public long HistoryBytes => _historyHeld;

    public Lock Gate { get; } = new();

    public long CurrentResourceVersion { get; private set; }

    /// <summary>Loads persisted objects; history starts empty so older watches get 410 Expired.</summary>
    public void Load()
    {
        if (_files is null) return;
        var max = _files.LoadCounter();
        foreach (var (typeKey, obj) in _files.LoadAll())
        {
            var rv = long.TryParse(obj["metadata"]?["resourceVersion"]?.GetValue<string>(), CultureInfo.InvariantCulture, out var r) ? r : 0;
            max = Math.Max(max, rv);
            var facts = ObjectFacts.From(typeKey, obj);
            var key = StoredObject.KeyOf(facts.Namespace, facts.Name);
            Bucket(typeKey)[key] = new StoredObject(typeKey, key, obj.ToJsonString(), rv, facts);
        }

        CurrentResourceVersion = max;
        _compactedRv = max;
    }

    public StoredObject? Get(string typeKey, string? ns, string name) =>
        Bucket(typeKey).TryGetValue(StoredObject.KeyOf(ns, name), out var found) ? found : null;

    /// <summary>Objects of a type in key order, optionally within one namespace and after a continue key.</summary>
    public IEnumerable<StoredObject> List(string typeKey, string? ns, string? afterKey = null)
    {
        var items = Bucket(typeKey).Values.AsEnumerable();
        if (ns is not null) items = items.Where(o => o.Facts.Namespace == ns);
        if (afterKey is not null) items = items.Where(o => string.CompareOrdinal(o.Key, afterKey) > 0);
        return items;
    }

    public IEnumerable<string> TypeKeys => _byType.Keys;

    /// <summary>Stores a new version of an object, stamping the next resourceVersion into it.</summary>
    public StoredObject Put(string typeKey, JsonObject obj)
    {
        var rv = ++CurrentResourceVersion;
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var facts = ObjectFacts.From(typeKey, obj);
        var key = StoredObject.KeyOf(facts.Namespace, facts.Name);
        var stored = new StoredObject(typeKey, key, obj.ToJsonString(), rv, facts);
        var bucket = Bucket(typeKey);
        bucket.TryGetValue(key, out var previous);
        bucket[key] = stored;
        _files?.Save(typeKey, key, stored.Json, rv);
        Publish(new WatchEvent(previous is null ? "ADDED" : "MODIFIED", rv, stored, previous));
        return stored;
    }

    /// <summary>Removes an object; the DELETED event carries the object stamped with the deletion's resourceVersion.</summary>
    public StoredObject Remove(StoredObject existing)
    {
        var rv = ++CurrentResourceVersion;
        var obj = existing.Parse();
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var gone = existing with { Json = obj.ToJsonString(), ResourceVersion = rv };
        Bucket(existing.TypeKey).Remove(existing.Key);
        _files?.Delete(existing.TypeKey, existing.Key, rv);
        Publish(new WatchEvent("DELETED", rv, gone, existing));
        return gone;
    }

    /// <summary>
    /// Registers a watcher. With <paramref name="fromRv"/> null every current object is sent as ADDED first;
    /// otherwise history after it is replayed. Returns null when that history was already dropped (410 Expired).
    /// </summary>
    public Watcher? Subscribe(string typeKey, long? fromRv, bool initialEventsEnd = false)
    {
        if (fromRv is { } since && since < _compactedRv) return null;
        var watcher = new Watcher(this, typeKey, _watcherQueueBytes);
        if (fromRv is null)
        {
            foreach (var obj in Bucket(typeKey).Values)
            {
                watcher.Offer(new WatchEvent("ADDED", obj.ResourceVersion, obj, null), live: false);
            }

            if (initialEventsEnd) watcher.Offer(new WatchEvent(WatchEvent.InitialEventsEnd, CurrentResourceVersion, null, null));
        }
        else
        {
            foreach (var e in _history.Where(e => e.ResourceVersion > fromRv && e.Object!.TypeKey == typeKey))
            {
                watcher.Offer(e, live: false);
            }
        }

        _watchers.Add(watcher);
        return watcher;
    }

    private void Publish(WatchEvent e)
    {
        _history.AddLast(e);
        _historyHeld += e.Bytes;
        while (_history.Count > _historySize || (_historyHeld > _historyBytes && _history.Count > 1))
        {
            _compactedRv = _history.First!.Value.ResourceVersion;
            _historyHeld -= _history.First.Value.Bytes;
            _history.RemoveFirst();
        }

        foreach (var watcher in _watchers.Where(w => w.TypeKey == e.Object!.TypeKey).ToList())
        {
            if (!watcher.Offer(e)) _watchers.Remove(watcher);
        }
    }

    private SortedDictionary<string, StoredObject> Bucket(string typeKey)
    {
        if (!_byType.TryGetValue(typeKey, out var bucket))
        {
            bucket = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _byType[typeKey] = bucket;
        }

        return bucket;
    }

    /// <summary>
    /// A live subscription; events arrive in resourceVersion order, bookmarks interleaved in order too. Its queue is
    /// bounded by bytes: a reader that falls that far behind is closed (like kube-apiserver's cacher closes an
    /// unresponsive watcher), and its client watches again from the last resourceVersion it saw or lists again.
    /// </summary>
    internal sealed class Watcher(ObjectStore store, string typeKey, long maxQueuedBytes) : IDisposable
    {
        private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        private long _queuedBytes;

        public string TypeKey { get; } = typeKey;

        /// <summary>True once the watcher was closed because its reader fell too far behind.</summary>
        public bool Overflowed { get; private set; }

        /// <summary>
        /// False when a live event did not fit: the watcher is then closed and must be dropped. The initial events and
        /// the replayed history are never refused (both are bounded already), or a large store could never be watched.
        /// </summary>
        public bool Offer(WatchEvent e, bool live = true)
        {
            if (Overflowed) return false;
            if (Interlocked.Add(ref _queuedBytes, e.Bytes) > maxQueuedBytes && e.Bytes > 0 && live)
            {
                Overflowed = true;
                _events.Writer.TryComplete();
                return false;
            }

            return _events.Writer.TryWrite(e);
        }

        public async IAsyncEnumerable<WatchEvent> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var e in _events.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                Interlocked.Add(ref _queuedBytes, -e.Bytes);
                yield return e;
            }
        }

        /// <summary>Queues a bookmark behind every event already queued, so its resourceVersion never runs ahead.</summary>
        public void Bookmark()
        {
            lock (store.Gate)
            {
                Offer(new WatchEvent("BOOKMARK", store.CurrentResourceVersion, null, null));
            }
        }

        public void Dispose()
        {
            lock (store.Gate)
            {
                store._watchers.Remove(this);
            }

            _events.Writer.TryComplete();
        }
    }
}
