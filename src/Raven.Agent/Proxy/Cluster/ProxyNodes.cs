using System.Net;
using System.Text.Json;
using Raven.Agent.Proxy.Directory;
using Raven.Api;
using Raven.Kube.Models;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>Node objects as the proxy sees them (pure).</summary>
public static class ProxyNodes
{
    public const int DefaultKubeletPort = 10250;

    public static ProxyNode FromApi(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var internalIp = (node.Status.Addresses ?? [])
            .Where(a => a.Type == Node.AddressInternalIP)
            .Select(a => IPAddress.TryParse(a.Address, out var ip) ? ip : null)
            .FirstOrDefault(ip => ip is not null);
        var gateway = node.Metadata.Labels?.GetValueOrDefault(WellKnown.GatewayLabel);
        return new ProxyNode(node.Metadata.Name ?? "", internalIp, string.IsNullOrEmpty(gateway) ? null : gateway, KubeletPort(node));
    }

    /// <summary>status.daemonEndpoints.kubeletEndpoint.Port (the Node model keeps it as extension data); 10250 when
    /// absent or out of range.</summary>
    public static int KubeletPort(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Status.Extra?.GetValueOrDefault("daemonEndpoints") is { ValueKind: JsonValueKind.Object } endpoints
            && endpoints.TryGetProperty("kubeletEndpoint", out var kubelet) && kubelet.ValueKind == JsonValueKind.Object
            && kubelet.TryGetProperty("Port", out var port) && port.TryGetInt32(out var value) && value is >= 1 and <= 65535)
        {
            return value;
        }

        return DefaultKubeletPort;
    }
}
