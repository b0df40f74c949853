using System.Globalization;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>
/// The API semantics without HTTP: get, list, watch, create, update, patch, delete over the store, with
/// resourceVersion checks, status isolation, generation, finalizers, version conversion and admission.
/// </summary>
internal sealed partial class ApiCore
{
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly VersionCodec _codec;
    private readonly TimeProvider _clock;
    private readonly ClusterIpAllocator _clusterIps = new();
    private readonly CsrSigner _signer;

    public ApiCore(ObjectStore store, ResourceRegistry registry, CustomResourceHookRegistry hooks, CsrSigner signer, TimeProvider clock)
    {
        _store = store;
        _registry = registry;
        _codec = new VersionCodec(hooks);
        _signer = signer;
        _clock = clock;
    }

    public ObjectStore Store => _store;

    private readonly Dictionary<string, (long Rv, List<JsonObject> Objects)> _snapshots = new(StringComparer.Ordinal);

    /// <summary>
    /// The current objects of a type (within a namespace when given), parsed once per store version: what the
    /// authorizer reads on every request.
    /// </summary>
    public IReadOnlyList<JsonObject> Snapshot(ResourceType type, string? ns)
    {
        lock (_store.Gate)
        {
            if (!_snapshots.TryGetValue(type.TypeKey, out var cached) || cached.Rv != _store.CurrentResourceVersion)
            {
                cached = (_store.CurrentResourceVersion, _store.List(type.TypeKey, null).Select(o => o.Parse()).ToList());
                _snapshots[type.TypeKey] = cached;
            }

            return ns is null ? cached.Objects : cached.Objects.Where(o => ObjectMeta.Text(ObjectMeta.Of(o), "namespace") == ns).ToList();
        }
    }

    /// <summary>Largest object stored, as etcd's request limit; larger writes are 413.</summary>
    public int MaxObjectBytes { get; init; } = 1536 * 1024;

    private void CheckSize(ResourceType type, JsonObject obj)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(obj.ToJsonString());
        if (bytes <= MaxObjectBytes) return;
        var name = ObjectMeta.Text(ObjectMeta.Of(obj), "name") ?? "";
        throw new ApiException(413, "RequestEntityTooLarge",
            $"Request entity too large: {type.Kind} \"{name}\" is {bytes} bytes; the limit for a stored object is {MaxObjectBytes} bytes");
    }

    public TimeProvider Clock => _clock;

    public ResourceRegistry Registry => _registry;

    /// <summary>Registers stored CRDs, remembers used cluster IPs and creates the standard namespaces.</summary>
    public void Initialize()
    {
        lock (_store.Gate)
        {
            foreach (var crd in _store.List(BuiltinResources.CustomResourceDefinitions.TypeKey, null).ToList())
            {
                RegisterCrd(crd.Parse());
            }

            foreach (var svc in _store.List(BuiltinResources.Services.TypeKey, null))
            {
                _clusterIps.MarkUsed(ObjectMeta.Text(svc.Parse()["spec"] as JsonObject ?? [], "clusterIP"));
            }

            foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            {
                if (_store.Get(BuiltinResources.Namespaces.TypeKey, null, ns) is null)
                {
                    CreateLocked(BuiltinResources.Namespaces, "v1", null,
                        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } },
                        WriteOptions.Default);
                }
            }
        }
    }

    public JsonObject Get(ResourceType type, string version, string? ns, string name)
    {
        StoredObject found;
        lock (_store.Gate)
        {
            found = _store.Get(type.TypeKey, ns, name) ?? throw ApiException.NotFound(type, name);
        }

        return _codec.ToVersion(type, found.Parse(), version);
    }

    /// <param name="resourceVersionMatch">Exact or NotOlderThan (already validated); null means NotOlderThan when a resourceVersion is given.</param>
    public JsonObject List(ResourceType type, string version, string? ns, ListOptions options, string? resourceVersionMatch = null)
    {
        var page = ListPage(type, ns, options, resourceVersionMatch);
        var items = new JsonArray();
        foreach (var item in page.Items) items.Add(ItemInVersion(type, item, version));
        return new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion(version),
            ["metadata"] = page.Metadata,
            ["items"] = items,
        };
    }

    /// <summary>One page of a list: its metadata and the stored objects, for callers that stream them out one by one.</summary>
    public ListResult ListPage(ResourceType type, string? ns, ListOptions options, string? resourceVersionMatch = null)
    {
        var page = new List<StoredObject>();
        long rv;
        var remaining = 0L;
        lock (_store.Gate)
        {
            rv = _store.CurrentResourceVersion;
            CheckListResourceVersion(options, resourceVersionMatch, rv);
            foreach (var item in _store.List(type.TypeKey, ns, options.ContinueKey).Where(o => options.Matches(o.Facts)))
            {
                if (options.Limit == 0 || page.Count < options.Limit) page.Add(item);
                else remaining++;
            }
        }

        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (remaining > 0)
        {
            meta["continue"] = ListOptions.EncodeContinue(rv, page[^1].Key);
            // Like etcd3's store: the count is exact only without selectors, so it is sent only then.
            if (options.Labels.IsEmpty && options.Fields.IsEmpty) meta["remainingItemCount"] = remaining;
        }

        return new ListResult(meta, page);
    }

    /// <summary>A listed item in the requested version with its kind set.</summary>
    public JsonObject ItemInVersion(ResourceType type, StoredObject item, string version)
    {
        var obj = _codec.ToVersion(type, item.Parse(), version);
        obj["kind"] = type.Kind;
        return obj;
    }

    /// <summary>True when a stored object's JSON is already what a list in <paramref name="version"/> returns.</summary>
    public static bool StoredAsServed(ResourceType type, string version) => !type.IsCustom || type.StorageVersion == version;

    /// <summary>
    /// A resourceVersion the store has not reached yet is a 504 (a real server waits briefly for it first); Exact
    /// needs the current one, as older snapshots are not kept (410, so the client lists again).
    /// </summary>
    private static void CheckListResourceVersion(ListOptions options, string? match, long current)
    {
        if (options.ResourceVersion is not { } requested || requested == 0 || options.ContinueKey is not null) return;
        if (requested > current) throw ApiException.TooLargeResourceVersion(requested, current);
        if (match == "Exact" && requested != current) throw ApiException.Expired(requested, current);
    }

    /// <summary>Null when the requested resourceVersion is older than the kept history.</summary>
    public ObjectStore.Watcher? Watch(ResourceType type, long? fromRv, bool sendInitialEvents = false)
    {
        lock (_store.Gate)
        {
            return sendInitialEvents
                ? _store.Subscribe(type.TypeKey, null, initialEventsEnd: true)
                : _store.Subscribe(type.TypeKey, fromRv is 0 ? null : fromRv);
        }
    }

    public JsonObject ToVersion(ResourceType type, StoredObject stored, string version) =>
        _codec.ToVersion(type, stored.Parse(), version);

    public long CurrentResourceVersion
    {
        get
        {
            lock (_store.Gate)
            {
                return _store.CurrentResourceVersion;
            }
        }
    }
}

/// <summary>One page of a list.</summary>
internal sealed record ListResult(JsonObject Metadata, IReadOnlyList<StoredObject> Items);
