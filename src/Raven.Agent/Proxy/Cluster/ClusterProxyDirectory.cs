using Raven.Agent.Proxy.Directory;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>
/// The proxy's view of the cluster, backed by the node and Gateway informer caches, with pods read on demand (the
/// front end needs a pod only for kubelet streaming paths, so caching every pod is not worth it).
/// </summary>
public sealed class ClusterProxyDirectory : INodeDirectory, IProxyGatewayDirectory, IPodDirectory
{
    private readonly Informer<V1Node> _nodes;
    private readonly Informer<Gateway> _gateways;
    private readonly KubeClient _client;

    public ClusterProxyDirectory(Informer<V1Node> nodes, Informer<Gateway> gateways, KubeClient client)
    {
        _nodes = nodes ?? throw new ArgumentNullException(nameof(nodes));
        _gateways = gateways ?? throw new ArgumentNullException(nameof(gateways));
        _client = client ?? throw new ArgumentNullException(nameof(client));
    }

    public ProxyNode? FindNode(string name) => _nodes.Store.Get(null, name) is { } node ? ProxyNodes.FromApi(node) : null;

    public ProxyGateway? FindGateway(string name) => _gateways.Store.Get(null, name) is { } gateway ? ProxyGateway.FromApi(gateway) : null;

    public IReadOnlyCollection<ProxyGateway> ListGateways() => _gateways.Store.List().Select(ProxyGateway.FromApi).ToList();

    public async ValueTask<string?> FindNodeOfPodAsync(string podNamespace, string podName, CancellationToken cancellationToken)
    {
        try
        {
            var pod = await _client.Api.CoreV1.ReadNamespacedPodAsync(podName, podNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName;
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }
}
