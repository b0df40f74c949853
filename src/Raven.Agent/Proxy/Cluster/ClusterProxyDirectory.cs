using Raven.Agent.Proxy.Directory;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using Raven.Kube.Models;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>
/// The proxy's view of the cluster, backed by the node and Gateway informer caches, with pods read on demand (the
/// front end needs a pod only for kubelet streaming paths, so caching every pod is not worth it).
/// </summary>
public sealed class ClusterProxyDirectory : INodeDirectory, IProxyGatewayDirectory, IPodDirectory
{
    private readonly Informer<Node> _nodes;
    private readonly Informer<Gateway> _gateways;
    private readonly ResourceClient<Pod> _pods;

    public ClusterProxyDirectory(Informer<Node> nodes, Informer<Gateway> gateways, KubeClient client)
    {
        _nodes = nodes ?? throw new ArgumentNullException(nameof(nodes));
        _gateways = gateways ?? throw new ArgumentNullException(nameof(gateways));
        ArgumentNullException.ThrowIfNull(client);
        _pods = client.Resource(KubeResources.Pod);
    }

    public ProxyNode? FindNode(string name) => _nodes.Store.Get(null, name) is { } node ? ProxyNodes.FromApi(node) : null;

    public ProxyGateway? FindGateway(string name) => _gateways.Store.Get(null, name) is { } gateway ? ProxyGateway.FromApi(gateway) : null;

    public IReadOnlyCollection<ProxyGateway> ListGateways() => _gateways.Store.List().Select(ProxyGateway.FromApi).ToList();

    public async ValueTask<string?> FindNodeOfPodAsync(string podNamespace, string podName, CancellationToken cancellationToken)
    {
        var pod = await _pods.TryGetAsync(podName, podNamespace, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(pod?.Spec.NodeName) ? null : pod.Spec.NodeName;
    }
}
