using System.Net;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>Which proxy servers an edge proxy client keeps a tunnel to (pure; feed the result to
/// <see cref="TunnelClient.SetServersAsync"/>).</summary>
public static class ProxyServerTargets
{
    /// <summary>
    /// Every proxy active endpoint with a public IP of every exposed Gateway other than the local one. While the local
    /// Gateway is unknown, Gateways listing <paramref name="localNodeName"/> in status.nodes are skipped as well.
    /// Sorted, without duplicates. An endpoint without a port uses 10262.
    /// </summary>
    public static IReadOnlyList<DnsEndPoint> For(IEnumerable<Gateway> gateways, string? localGatewayName, string localNodeName)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        return gateways
            .Where(g => !string.IsNullOrEmpty(g.Spec.ExposeType) && g.Name != localGatewayName)
            .Where(g => localGatewayName is not null || !(g.Status.Nodes ?? []).Any(n => n.NodeName == localNodeName))
            .SelectMany(g => g.Status.ActiveEndpoints ?? [])
            .Where(e => e.Type == WellKnown.EndpointTypeProxy && !string.IsNullOrWhiteSpace(e.PublicIP))
            .Select(e => new DnsEndPoint(e.PublicIP!.Trim(), e.Port is > 0 and <= 65535 ? e.Port : WellKnown.ProxyServerExposedPort))
            .Distinct()
            .OrderBy(e => e.Host, StringComparer.Ordinal).ThenBy(e => e.Port)
            .ToList();
    }
}
