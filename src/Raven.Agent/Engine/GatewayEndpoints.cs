using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Engine;

/// <summary>Pure helpers for this node's tunnel endpoint in a Gateway.</summary>
public static class GatewayEndpoints
{
    public const string PublicKeyConfigKey = "publicKey";

    public static Endpoint? TunnelEndpoint(IEnumerable<Endpoint?>? endpoints, string nodeName) =>
        (endpoints ?? []).OfType<Endpoint>().FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel && e.NodeName == nodeName);

    /// <summary>Every endpoint (tunnel and proxy) on the node: the node's public address is theirs alike.</summary>
    public static IEnumerable<Endpoint> NodeEndpoints(IEnumerable<Endpoint?>? endpoints, string nodeName) =>
        (endpoints ?? []).OfType<Endpoint>().Where(e => e.NodeName == nodeName);

    /// <summary>The gateway whose status lists the node (the node's domain), by name order when several do.</summary>
    public static Gateway? LocalGateway(IEnumerable<Gateway> gateways, string nodeName) =>
        gateways.Where(g => (g.Status?.Nodes ?? []).Any(n => n?.NodeName == nodeName))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    public static bool SetPublicKey(Endpoint endpoint, string publicKey)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.Config ??= [];
        if (endpoint.Config.TryGetValue(PublicKeyConfigKey, out var current) && current == publicKey)
        {
            return false;
        }

        endpoint.Config[PublicKeyConfigKey] = publicKey;
        return true;
    }

    public static bool SetPublicIpIfEmpty(Endpoint endpoint, string publicIp)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!string.IsNullOrEmpty(endpoint.PublicIP))
        {
            return false;
        }

        endpoint.PublicIP = publicIp;
        return true;
    }
}
