using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace Raven.Kube.Client;

/// <summary>
/// The verbs for one custom resource with a Raven model, through the official client's custom-object operations
/// (bodies in Raven's JSON, see <see cref="RavenResource{T}"/>). Cheap to create; holds no state.
/// </summary>
public sealed class CustomObjectClient<T>(KubeClient client, RavenResource<T> resource)
    where T : class
{
    private ICustomObjectsOperations Ops => client.Api.CustomObjects;

    public RavenResource<T> Resource => resource;

    public async Task<T> GetAsync(string name, string? ns = null, CancellationToken cancellationToken = default) =>
        await Call(Scoped(ns)
            ? Ops.GetNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(resource.Group, resource.Version, ns, resource.Plural, name, cancellationToken: cancellationToken)
            : Ops.GetClusterCustomObjectWithHttpMessagesAsync<JsonElement>(resource.Group, resource.Version, resource.Plural, name, cancellationToken: cancellationToken))
            .ConfigureAwait(false);

    /// <summary>Like <see cref="GetAsync"/> but null when the object does not exist.</summary>
    public async Task<T?> TryGetAsync(string name, string? ns = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(name, ns, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>Everything (following continue tokens), optionally filtered by label.</summary>
    public async Task<IReadOnlyList<T>> ListAsync(string? ns = null, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        var items = new List<T>();
        var query = new ListQuery { LabelSelector = labelSelector, Limit = 500 };
        while (true)
        {
            var page = await resource.ListAsync(client.Api, ns, query, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            if (string.IsNullOrEmpty(page.Continue))
            {
                return items;
            }

            query = query with { Continue = page.Continue };
        }
    }

    /// <param name="dryRun">dryRun=All: the server admits (webhooks included) and validates, and stores nothing.</param>
    public async Task<T> CreateAsync(T item, CancellationToken cancellationToken = default, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(item);
        var ns = resource.NamespaceOf(item);
        var body = RavenResource<T>.Encode(item);
        var dryRunValue = dryRun ? "All" : null;
        return await Call(Scoped(ns)
            ? Ops.CreateNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(body, resource.Group, resource.Version, ns, resource.Plural, dryRun: dryRunValue, cancellationToken: cancellationToken)
            : Ops.CreateClusterCustomObjectWithHttpMessagesAsync<JsonElement>(body, resource.Group, resource.Version, resource.Plural, dryRun: dryRunValue, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    /// <summary>PUT of the whole object; a stale metadata.resourceVersion fails with 409 Conflict.</summary>
    public async Task<T> ReplaceAsync(T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (name, ns) = (resource.NameOf(item) ?? "", resource.NamespaceOf(item));
        var body = RavenResource<T>.Encode(item);
        return await Call(Scoped(ns)
            ? Ops.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(body, resource.Group, resource.Version, ns, resource.Plural, name, cancellationToken: cancellationToken)
            : Ops.ReplaceClusterCustomObjectWithHttpMessagesAsync<JsonElement>(body, resource.Group, resource.Version, resource.Plural, name, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    /// <summary>PUT to the status subresource: only status changes are kept by the server.</summary>
    public async Task<T> ReplaceStatusAsync(T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (name, ns) = (resource.NameOf(item) ?? "", resource.NamespaceOf(item));
        var body = RavenResource<T>.Encode(item);
        return await Call(Scoped(ns)
            ? Ops.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<JsonElement>(body, resource.Group, resource.Version, ns, resource.Plural, name, cancellationToken: cancellationToken)
            : Ops.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<JsonElement>(body, resource.Group, resource.Version, resource.Plural, name, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Server-side apply of <paramref name="configuration"/> (the fields this manager decides, nothing else) as
    /// <paramref name="fieldManager"/>; creates the object if it does not exist. <paramref name="force"/> takes
    /// fields over from other managers instead of failing with 409 Conflict, as controllers should.
    /// </summary>
    public async Task<T> ApplyAsync(string name, string? ns, System.Text.Json.Nodes.JsonObject configuration, string fieldManager, bool force = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var patch = new k8s.Models.V1Patch(configuration.ToJsonString(), k8s.Models.V1Patch.PatchType.ApplyPatch);
        return await Call(Scoped(ns)
            ? Ops.PatchNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(patch, resource.Group, resource.Version, ns, resource.Plural, name,
                fieldManager: fieldManager, force: force, cancellationToken: cancellationToken)
            : Ops.PatchClusterCustomObjectWithHttpMessagesAsync<JsonElement>(patch, resource.Group, resource.Version, resource.Plural, name,
                fieldManager: fieldManager, force: force, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    public async Task DeleteAsync(string name, string? ns = null, CancellationToken cancellationToken = default)
    {
        using var response = Scoped(ns)
            ? await Ops.DeleteNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(resource.Group, resource.Version, ns, resource.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await Ops.DeleteClusterCustomObjectWithHttpMessagesAsync<JsonElement>(resource.Group, resource.Version, resource.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Read-modify-write with conflict retries: gets the object, lets <paramref name="mutate"/> change it (false:
    /// nothing to do) and PUTs it (to the status subresource if <paramref name="status"/>), re-reading on 409.
    /// Returns what the server stored, or the unchanged object.
    /// </summary>
    public Task<T> UpdateWithRetryAsync(
        string name, string? ns, Func<T, bool> mutate, bool status = false, int attempts = 5, CancellationToken cancellationToken = default) =>
        ConflictRetry.UpdateAsync(
            ct => GetAsync(name, ns, ct), mutate, (item, ct) => status ? ReplaceStatusAsync(item, ct) : ReplaceAsync(item, ct), attempts, cancellationToken);

    private bool Scoped(string? ns) => resource.Namespaced && !string.IsNullOrEmpty(ns);

    private async Task<T> Call(Task<HttpOperationResponse<JsonElement>> call)
    {
        using var response = await call.ConfigureAwait(false);
        return resource.Decode(response.Body);
    }
}
