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

    /// <summary>Sets each entry; other keys stay. True when anything changed.</summary>
    public static bool SetConfig(Endpoint endpoint, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(config);
        if (!NeedsConfig(endpoint, config))
        {
            return false;
        }

        endpoint.Config ??= [];
        foreach (var (key, value) in config)
        {
            endpoint.Config[key] = value;
        }

        return true;
    }

    /// <summary>Whether some entry of <paramref name="config"/> is missing or different on <paramref name="endpoint"/>.</summary>
    public static bool NeedsConfig(Endpoint endpoint, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(config);
        return config.Any(e => endpoint.Config?.GetValueOrDefault(e.Key) != e.Value);
    }

    /// <summary>publicPort and natType as given; publicIP only when given (a pinned address is never cleared).</summary>
    public static bool SetNatFields(Endpoint endpoint, Nat.NatEndpointFields fields)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(fields);
        var publicIp = fields.PublicIP ?? endpoint.PublicIP;
        var natType = string.IsNullOrEmpty(fields.NatType) ? null : fields.NatType;
        if (endpoint.PublicIP == publicIp && endpoint.PublicPort == fields.PublicPort && (string.IsNullOrEmpty(endpoint.NATType) ? null : endpoint.NATType) == natType)
        {
            return false;
        }

        endpoint.PublicIP = publicIp;
        endpoint.PublicPort = fields.PublicPort;
        endpoint.NATType = natType;
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
