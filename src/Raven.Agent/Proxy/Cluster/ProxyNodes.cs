using System.Net;
using k8s.Models;
using Raven.Agent.Proxy.Directory;
using Raven.Api;
using Raven.Kube.Models;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>Node objects as the proxy sees them (pure).</summary>
public static class ProxyNodes
{
    public const int DefaultKubeletPort = 10250;

    public static ProxyNode FromApi(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var internalIp = (node.Status?.Addresses ?? [])
            .Where(a => a.Type == KubeModelExtensions.AddressInternalIP)
            .Select(a => IPAddress.TryParse(a.Address, out var ip) ? ip : null)
            .FirstOrDefault(ip => ip is not null);
        var gateway = node.Metadata.Label(WellKnown.GatewayLabel);
        return new ProxyNode(node.Metadata.Name ?? "", internalIp, string.IsNullOrEmpty(gateway) ? null : gateway, KubeletPort(node));
    }

    /// <summary>status.daemonEndpoints.kubeletEndpoint.Port; 10250 when absent or out of range.</summary>
    public static int KubeletPort(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port is int port and >= 1 and <= 65535 ? port : DefaultKubeletPort;
    }
}
