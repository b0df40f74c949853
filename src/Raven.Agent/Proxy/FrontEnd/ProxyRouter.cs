using Raven.Agent.Proxy.Directory;

namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>Turns a node name and port into a <see cref="ProxyRoute"/> or a refusal (pure over the directories).</summary>
public sealed class ProxyRouter(INodeDirectory nodes, IProxyGatewayDirectory gateways, string? localGatewayName,
    IReadOnlyCollection<int> kubeletPorts)
{
    public ProxyRoute? Route(string nodeName, int? requestedPort, out ProxyFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        failure = null;
        var node = nodes.FindNode(nodeName);
        if (node is null)
        {
            failure = new ProxyFailure(404, $"node \"{nodeName}\" not found");
            return null;
        }

        var port = requestedPort ?? node.KubeletPort;
        var allowed = AllowedPorts(node);
        if (!allowed.Contains(port))
        {
            failure = new ProxyFailure(403,
                $"port {port} of node \"{nodeName}\" is not proxied; allowed ports: {string.Join(", ", allowed.Order())} " +
                "(kubelet ports and the gateways' proxyHTTPPort/proxyHTTPSPort)");
            return null;
        }

        if (node.InternalIP is null)
        {
            failure = new ProxyFailure(503, $"node \"{nodeName}\" has no InternalIP address");
            return null;
        }

        var target = new System.Net.IPEndPoint(node.InternalIP, port);
        var gateway = node.GatewayName is null ? null : gateways.FindGateway(node.GatewayName);
        if (gateway is null)
        {
            // Not in any domain (or the label names no Gateway): the node runs its own proxy client.
            return new ProxyRoute(nodeName, target, Direct: false, [nodeName], null);
        }

        if (gateway.Name == localGatewayName)
        {
            return new ProxyRoute(nodeName, target, Direct: true, [], gateway.Name);
        }

        if (gateway.ProxyNodes.Count == 0)
        {
            failure = new ProxyFailure(503, $"gateway \"{gateway.Name}\" of node \"{nodeName}\" has no elected proxy gateway");
            return null;
        }

        return new ProxyRoute(nodeName, target, Direct: false, gateway.ProxyNodes, gateway.Name);
    }

    private HashSet<int> AllowedPorts(ProxyNode node)
    {
        var ports = new HashSet<int>(kubeletPorts) { node.KubeletPort };
        foreach (var gateway in gateways.ListGateways())
        {
            ports.UnionWith(gateway.HttpPorts);
            ports.UnionWith(gateway.HttpsPorts);
        }

        return ports;
    }
}
