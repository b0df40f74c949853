using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Raven.Api.Json;
using Raven.Kube.Client.Watch;
using Raven.Kube.Models;

namespace Raven.Kube.Client;

/// <summary>The REST verbs for one resource type. Cheap to create; holds no state beyond the client and descriptor.</summary>
public sealed class ResourceClient<T>
    where T : class
{
    private readonly KubeClient _client;

    public ResourceClient(KubeClient client, ResourceDescriptor<T> descriptor)
    {
        _client = client;
        Descriptor = descriptor;
    }

    public ResourceDescriptor<T> Descriptor { get; }

    /// <summary>The client's view of whether the API server answers (shared by every resource of the client).</summary>
    public ApiConnectivity Connectivity => _client.Connectivity;

    public async Task<T> GetAsync(string name, string? ns = null, CancellationToken cancellationToken = default) =>
        Decode<T>(await _client.SendAsync(HttpMethod.Get, Descriptor.ObjectPath(name, ns), null, cancellationToken).ConfigureAwait(false));

    /// <summary>Like <see cref="GetAsync"/> but null when the object does not exist.</summary>
    public async Task<T?> TryGetAsync(string name, string? ns = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(name, ns, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }
    }

    /// <summary>One page (or everything, without a limit). <paramref name="ns"/> null lists all namespaces.</summary>
    public async Task<KubeList<T>> ListAsync(string? ns = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = WithQuery(Descriptor.CollectionPath(ns), (options ?? new ListOptions()).ToQuery(watch: false));
        return Decode<KubeList<T>>(await _client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Follows continue tokens until the last page; the result carries the first page's resourceVersion.</summary>
    public async Task<KubeList<T>> ListAllAsync(string? ns = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListOptions { Limit = 500 };
        var first = await ListAsync(ns, options, cancellationToken).ConfigureAwait(false);
        var next = first.Metadata.Continue;
        while (!string.IsNullOrEmpty(next))
        {
            // A continued list must not repeat resourceVersion; the token pins the snapshot.
            var page = await ListAsync(ns, options with { Continue = next, ResourceVersion = null }, cancellationToken).ConfigureAwait(false);
            first.Items.AddRange(page.Items);
            next = page.Metadata.Continue;
        }

        first.Metadata.Continue = null;
        return first;
    }

    /// <summary>
    /// Streams changes after <see cref="ListOptions.ResourceVersion"/>. Ends when the server closes the stream;
    /// an ERROR event throws (a 410 as <see cref="KubeExpiredException"/>).
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(
        string? ns, ListOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = WithQuery(Descriptor.CollectionPath(ns), options.ToQuery(watch: true));
        using var response = await _client.OpenStreamAsync(path, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await foreach (var e in WatchStreamDecoder.DecodeAsync<T>(body, cancellationToken).ConfigureAwait(false))
            {
                if (e.Type == WatchEventType.Error)
                {
                    throw KubeErrors.FromStatus(HttpStatusCode.InternalServerError, e.Status ?? new Status { Message = "watch ERROR event without status" });
                }

                yield return e;
            }
        }
    }

    public async Task<T> CreateAsync(T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var path = Descriptor.CollectionPath(Descriptor.Metadata(item).Namespace);
        if (Descriptor.Namespaced && string.IsNullOrEmpty(Descriptor.Metadata(item).Namespace))
        {
            throw new ArgumentException($"{Descriptor.Kind}: metadata.namespace is required to create", nameof(item));
        }

        return Decode<T>(await _client.SendAsync(HttpMethod.Post, path, Json(item), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>PUT of the whole object; a stale metadata.resourceVersion throws <see cref="KubeConflictException"/>.</summary>
    public Task<T> UpdateAsync(T item, CancellationToken cancellationToken = default) => Put(item, null, cancellationToken);

    /// <summary>PUT to the status subresource: only status changes are kept by the server.</summary>
    public Task<T> UpdateStatusAsync(T item, CancellationToken cancellationToken = default) => Put(item, "status", cancellationToken);

    public Task<T> PatchAsync(string name, string? ns, PatchType type, string patch, CancellationToken cancellationToken = default) =>
        Patch(name, ns, type, patch, null, cancellationToken);

    public Task<T> PatchStatusAsync(string name, string? ns, PatchType type, string patch, CancellationToken cancellationToken = default) =>
        Patch(name, ns, type, patch, "status", cancellationToken);

    /// <summary>Deletes; <see cref="DeleteOptions.Preconditions"/> makes it fail with 409 if uid/resourceVersion moved on.</summary>
    public async Task DeleteAsync(string name, string? ns = null, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = options is null ? null : Json(options);
        await _client.SendAsync(HttpMethod.Delete, Descriptor.ObjectPath(name, ns), body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Read-modify-write with conflict retries: gets the object, lets <paramref name="mutate"/> change it (return
    /// false for "nothing to do"), and PUTs it (to the status subresource if <paramref name="status"/>), re-reading
    /// on 409 up to <paramref name="attempts"/> times. Returns what the server stored, or the unchanged object.
    /// </summary>
    public async Task<T> UpdateWithRetryAsync(
        string name, string? ns, Func<T, bool> mutate, bool status = false, int attempts = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(name, ns, cancellationToken).ConfigureAwait(false);
            if (!mutate(current))
            {
                return current;
            }

            try
            {
                return await Put(current, status ? "status" : null, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeConflictException) when (attempt < attempts)
            {
                // Someone else wrote in between; re-read and re-apply the change.
            }
        }
    }

    private async Task<T> Put(T item, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var meta = Descriptor.Metadata(item);
        var path = Descriptor.ObjectPath(meta.Name ?? "", meta.Namespace, subresource);
        return Decode<T>(await _client.SendAsync(HttpMethod.Put, path, Json(item), cancellationToken).ConfigureAwait(false));
    }

    private async Task<T> Patch(string name, string? ns, PatchType type, string patch, string? subresource, CancellationToken cancellationToken)
    {
        var content = new StringContent(patch, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(PatchTypes.ContentType(type));
        var path = Descriptor.ObjectPath(name, ns, subresource);
        return Decode<T>(await _client.SendAsync(HttpMethod.Patch, path, content, cancellationToken).ConfigureAwait(false));
    }

    private static StringContent Json<TBody>(TBody body) =>
        new(RavenJson.Serialize(body), Encoding.UTF8, "application/json");

    private static string WithQuery(string path, string query) => query.Length == 0 ? path : path + "?" + query;

    private TResult Decode<TResult>(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<TResult>(body, RavenJson.Options)
                ?? throw new JsonException("the response body is null");
        }
        catch (JsonException e)
        {
            throw new KubeApiException($"{Descriptor.Kind}: the server's response is not a valid {typeof(TResult).Name}: {e.Message}", e);
        }
    }
}
