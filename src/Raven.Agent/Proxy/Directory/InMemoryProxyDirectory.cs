using System.Collections.Concurrent;

namespace Raven.Agent.Proxy.Directory;

/// <summary>Nodes, gateways and pods held in memory (tests, the lab, or a static setup).</summary>
public sealed class InMemoryProxyDirectory : INodeDirectory, IProxyGatewayDirectory, IPodDirectory
{
    private readonly ConcurrentDictionary<string, ProxyNode> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProxyGateway> _gateways = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Namespace, string Name), string> _pods = new();

    public InMemoryProxyDirectory Add(ProxyNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _nodes[node.Name] = node;
        return this;
    }

    public InMemoryProxyDirectory Add(ProxyGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        _gateways[gateway.Name] = gateway;
        return this;
    }

    public InMemoryProxyDirectory AddPod(string podNamespace, string podName, string nodeName)
    {
        _pods[(podNamespace, podName)] = nodeName;
        return this;
    }

    public ProxyNode? FindNode(string name) => _nodes.GetValueOrDefault(name);

    public ProxyGateway? FindGateway(string name) => _gateways.GetValueOrDefault(name);

    public IReadOnlyCollection<ProxyGateway> ListGateways() => _gateways.Values.ToList();

    public ValueTask<string?> FindNodeOfPodAsync(string podNamespace, string podName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_pods.GetValueOrDefault((podNamespace, podName)));
}
