using Raven.Api.V1Beta1;
using Raven.Kube.Client;

namespace Raven.Agent.Engine;

/// <summary>Writes this node's public key into its spec tunnel endpoint and its public IP into its endpoints, re-reading on conflicts.</summary>
public sealed class KubeGatewayPublisher(KubeClient client) : IGatewayPublisher
{
    private readonly CustomObjectClient<Gateway> _gateways = (client ?? throw new ArgumentNullException(nameof(client))).CustomObjects(KubeResources.Gateways);

    public Task<bool> PublishPublicKeyAsync(string gatewayName, string nodeName, string publicKey, CancellationToken cancellationToken) =>
        UpdateAsync(gatewayName, g => GatewayEndpoints.TunnelEndpoint(g.Spec.Endpoints, nodeName) is { } e ? [e] : [],
            e => GatewayEndpoints.SetPublicKey(e, publicKey), cancellationToken);

    public Task<bool> PublishConfigAsync(string gatewayName, string nodeName, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken) =>
        UpdateAsync(gatewayName, g => GatewayEndpoints.TunnelEndpoint(g.Spec.Endpoints, nodeName) is { } e ? [e] : [],
            e => GatewayEndpoints.SetConfig(e, config), cancellationToken);

    /// <summary>The node's public IP on each of its endpoints that has none: proxy clients dial the proxy endpoint's.</summary>
    public Task<bool> PublishPublicIpAsync(string gatewayName, string nodeName, string publicIp, CancellationToken cancellationToken) =>
        UpdateAsync(gatewayName, g => GatewayEndpoints.NodeEndpoints(g.Spec.Endpoints, nodeName),
            e => GatewayEndpoints.SetPublicIpIfEmpty(e, publicIp), cancellationToken);

    public Task<bool> PublishNatFieldsAsync(string gatewayName, string nodeName, Nat.NatEndpointFields fields, CancellationToken cancellationToken) =>
        UpdateAsync(gatewayName, g => GatewayEndpoints.TunnelEndpoint(g.Spec.Endpoints, nodeName) is { } e ? [e] : [],
            e => GatewayEndpoints.SetNatFields(e, fields), cancellationToken);

    private async Task<bool> UpdateAsync(string gatewayName, Func<Gateway, IEnumerable<Endpoint>> endpoints, Func<Endpoint, bool> change,
        CancellationToken cancellationToken)
    {
        var changed = false;
        await _gateways.UpdateWithRetryAsync(gatewayName, null, gateway =>
        {
            changed = endpoints(gateway).Aggregate(false, (any, endpoint) => change(endpoint) | any);
            return changed;
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return changed;
    }
}
