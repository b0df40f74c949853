using System.Net;
using Raven.Api;
using Raven.Api.Net;
using Raven.Api.V1Beta1;
using k8s.Models;
using Raven.Kube.Models;

namespace Raven.Agent.Engine;

/// <summary>
/// Pure: the public IP to write into this node's endpoints (tunnel and proxy), or null when there is nothing to write.
/// Sources, in order: the endpoints' own publicIP (when each has one, nothing is written), the LoadBalancer ingress of the Service labelled
/// for this gateway / tunnel / node, the explicit --public-ip. Internet IP-echo services are never asked.
/// </summary>
public static class PublicIpResolver
{
    public static IPAddress? ToPublish(Gateway gateway, string nodeName, IEnumerable<V1Service> tunnelServices, IPAddress? explicitIp)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(tunnelServices);
        if (GatewayEndpoints.TunnelEndpoint(gateway.Spec?.Endpoints, nodeName) is null ||
            GatewayEndpoints.NodeEndpoints(gateway.Spec?.Endpoints, nodeName).All(e => !string.IsNullOrEmpty(e.PublicIP)))
        {
            return null;
        }

        return FromLoadBalancer(gateway.Name, nodeName, tunnelServices) ?? explicitIp;
    }

    public static IPAddress? FromLoadBalancer(string gatewayName, string nodeName, IEnumerable<V1Service> services) =>
        services
            .Where(s => s.Metadata.Label(WellKnown.GatewayLabel) == gatewayName &&
                        s.Metadata.Label(WellKnown.GatewayTypeLabel) == WellKnown.EndpointTypeTunnel &&
                        s.Metadata.Label(WellKnown.EndpointsNameLabel) == nodeName)
            .OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .SelectMany(s => s.Status?.LoadBalancer?.Ingress ?? [])
            .Select(i => Cidr.TryParseAddress(i.Ip, out var ip) ? ip : null)
            .FirstOrDefault(ip => ip is not null);
}
