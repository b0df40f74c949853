using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Client;

/// <summary>
/// A custom resource whose model is Raven's own (Gateway v1beta1/v1alpha1, Calico's BlockAffinity): the official
/// client carries the JSON, Raven's serializer (<see cref="RavenJson"/>) reads and writes it, so the wire format stays
/// exactly OpenYurt's (capital-R "Replicas", omitempty rules).
/// </summary>
public sealed class RavenResource<T>(string group, string version, string plural, string kind, bool namespaced, Func<T, ObjectMeta> metadata)
    : KubeResource<T>(group, version, plural, kind, namespaced)
    where T : class
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public ObjectMeta Metadata(T item) => metadata(item);

    public override string? NameOf(T item) => metadata(item).Name;

    public override string? NamespaceOf(T item) => metadata(item).Namespace;

    public override string? ResourceVersionOf(T item) => metadata(item).ResourceVersion;

    public T Decode(JsonElement element)
    {
        try
        {
            return element.Deserialize<T>(RavenJson.Options) ?? throw new JsonException("the object is null");
        }
        catch (JsonException e)
        {
            throw new JsonException($"{Kind}: not a valid {Kind} object: {e.Message}", e);
        }
    }

    /// <summary>The request body: Raven's JSON, handed to the client as a parsed element it writes unchanged.</summary>
    public static JsonElement Encode(T item) => JsonSerializer.SerializeToElement(item, RavenJson.Options);

    public override async Task<ResourcePage<T>> ListAsync(IKubernetes api, string? ns, ListQuery query, CancellationToken cancellationToken)
    {
        using var response = await ListCallAsync<JsonElement>(api, ns, query, watch: false, cancellationToken).ConfigureAwait(false);
        var list = response.Body;
        var items = list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(Decode).ToList()
            : [];
        string? resourceVersion = null, next = null;
        if (list.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            resourceVersion = meta.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null;
            next = meta.TryGetProperty("continue", out var c) ? c.GetString() : null;
        }

        return new ResourcePage<T>(items, resourceVersion, next);
    }

    public override async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        IKubernetes api, string? ns, ListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, element) in Decode<JsonElement, JsonElement>(ListCallAsync<JsonElement>(api, ns, query, watch: true, cancellationToken), cancellationToken)
                           .ConfigureAwait(false))
        {
            yield return (type, Decode(element));
        }
    }
}
