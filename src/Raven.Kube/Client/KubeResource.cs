using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace Raven.Kube.Client;

/// <summary>Query of one list or watch call.</summary>
public sealed record ListQuery
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size for list; null = everything at once.</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    /// <summary>For watch: start after this version.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Server-side timeout of a watch.</summary>
    public int? TimeoutSeconds { get; init; }
}

/// <summary>One page of a list: the items, the list's resourceVersion and the token of the next page.</summary>
public sealed record ResourcePage<T>(IReadOnlyList<T> Items, string? ResourceVersion, string? Continue);

/// <summary>
/// What an informer needs to list and watch one kind and to key its objects. Built-in kinds use the official
/// client's models (<see cref="BuiltinResource{T, TList}"/>); Raven's own custom resources use Raven's models and
/// serializer (<see cref="RavenResource{T}"/>). Both go through the client's custom-object operations, which serve any
/// group/version/plural, the core group included.
/// </summary>
public abstract class KubeResource<T>(string group, string version, string plural, string kind, bool namespaced)
    where T : class
{
    public string Group { get; } = group;

    public string Version { get; } = version;

    public string Plural { get; } = plural;

    public string Kind { get; } = kind;

    public bool Namespaced { get; } = namespaced;

    public abstract string? NameOf(T item);

    public abstract string? NamespaceOf(T item);

    public abstract string? ResourceVersionOf(T item);

    /// <summary>Cache key: "namespace/name" for namespaced objects, "name" otherwise (client-go's MetaNamespaceKeyFunc).</summary>
    public string KeyOf(T item) => Cache.InformerStore<T>.Key(NamespaceOf(item), NameOf(item) ?? "");

    public abstract Task<ResourcePage<T>> ListAsync(IKubernetes api, string? ns, ListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Streams changes after <see cref="ListQuery.ResourceVersion"/> with bookmarks; ends when the server closes the
    /// stream. An ERROR event (e.g. 410 Expired) or an undecodable event throws.
    /// </summary>
    public abstract IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(IKubernetes api, string? ns, ListQuery query, CancellationToken cancellationToken);

    /// <summary>The list call with the query; <paramref name="watch"/> turns it into a watch.</summary>
    protected Task<HttpOperationResponse<TBody>> ListCallAsync<TBody>(IKubernetes api, string? ns, ListQuery query, bool watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(query);
        bool? bookmarks = watch ? true : null;
        bool? watching = watch ? true : null;
        return Namespaced && !string.IsNullOrEmpty(ns)
            ? api.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<TBody>(Group, Version, ns, Plural, bookmarks, query.Continue,
                query.FieldSelector, query.LabelSelector, query.Limit, query.ResourceVersion, null, query.TimeoutSeconds, watching, cancellationToken: cancellationToken)
            : api.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<TBody>(Group, Version, Plural, bookmarks, query.Continue,
                query.FieldSelector, query.LabelSelector, query.Limit, query.ResourceVersion, null, query.TimeoutSeconds, watching, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The library's watch decoding (one JSON event per line), with its failures turned into exceptions: it reports
    /// an ERROR event or an undecodable line to a callback and reads on, so the callback stops the stream here and
    /// the failure is thrown. A watch the server ends before its first event is an empty stream.
    /// </summary>
    protected static async IAsyncEnumerable<(WatchEventType Type, TEvent Object)> Decode<TEvent, TBody>(
        Task<HttpOperationResponse<TBody>> opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnError(Exception e)
        {
            failure ??= e;
            stop.Cancel();
        }

#pragma warning disable CS0618 // the per-type Watch*Async extensions the library recommends are built on this very call
        var events = opened.WatchAsync<TEvent, TBody>(OnError, stop.Token).GetAsyncEnumerator(stop.Token);
#pragma warning restore CS0618
        await using (events.ConfigureAwait(false))
        {
            var first = true;
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (failure is not null)
                {
                    more = false;
                }
                catch (JsonException) when (first && failure is null)
                {
                    // The library decodes the first line while opening: a watch closed before any event has none.
                    more = false;
                }

                if (failure is not null)
                {
                    throw failure;
                }

                if (!more)
                {
                    yield break;
                }

                first = false;
                yield return events.Current;
            }
        }
    }
}
