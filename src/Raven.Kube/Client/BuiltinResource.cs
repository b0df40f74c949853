using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace Raven.Kube.Client;

/// <summary>A built-in kind with the official client's model, e.g. V1Node with V1NodeList.</summary>
public sealed class BuiltinResource<T, TList>(string group, string version, string plural, string kind, bool namespaced)
    : KubeResource<T>(group, version, plural, kind, namespaced)
    where T : class, IKubernetesObject<V1ObjectMeta>
    where TList : class, IKubernetesObject<V1ListMeta>, IItems<T>
{
    public override string? NameOf(T item) => item?.Metadata?.Name;

    public override string? NamespaceOf(T item) => item?.Metadata?.NamespaceProperty;

    public override string? ResourceVersionOf(T item) => item?.Metadata?.ResourceVersion;

    public override async Task<ResourcePage<T>> ListAsync(IKubernetes api, string? ns, ListQuery query, CancellationToken cancellationToken)
    {
        using var response = await ListCallAsync<TList>(api, ns, query, watch: false, cancellationToken).ConfigureAwait(false);
        var list = response.Body;
        return new ResourcePage<T>([.. list.Items ?? []], list.Metadata?.ResourceVersion, list.Metadata?.ContinueProperty);
    }

    public override async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        IKubernetes api, string? ns, ListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in Decode<T, TList>(ListCallAsync<TList>(api, ns, query, watch: true, cancellationToken), cancellationToken)
                           .ConfigureAwait(false))
        {
            yield return e;
        }
    }
}
