using System.Net;

namespace Raven.Agent.Proxy.Directory;

/// <summary>What the proxy needs to know about one Kubernetes node.</summary>
/// <param name="InternalIP">The node's first InternalIP address; null when it has none.</param>
/// <param name="GatewayName">Value of the node's raven.openyurt.io/gateway label; null when it has none.</param>
/// <param name="KubeletPort">status.daemonEndpoints.kubeletEndpoint.port (10250 when unset).</param>
public sealed record ProxyNode(string Name, IPAddress? InternalIP, string? GatewayName, int KubeletPort = 10250);

/// <summary>Nodes by name. The integrator backs this with the node informer cache.</summary>
public interface INodeDirectory
{
    ProxyNode? FindNode(string name);
}
