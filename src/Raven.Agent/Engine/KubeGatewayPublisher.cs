using Raven.Api.V1Beta1;
using Raven.Kube.Client;

namespace Raven.Agent.Engine;

/// <summary>Writes this node's public key / public IP into its spec tunnel endpoint, re-reading on conflicts.</summary>
public sealed class KubeGatewayPublisher(KubeClient client) : IGatewayPublisher
{
    private readonly CustomObjectClient<Gateway> _gateways = (client ?? throw new ArgumentNullException(nameof(client))).CustomObjects(KubeResources.Gateways);

    public Task<bool> PublishPublicKeyAsync(string gatewayName, string nodeName, string publicKey, CancellationToken cancellationToken) =>
        UpdateAsync(gatewayName, nodeName, e => GatewayEndpoints.SetPublicKey(e, publicKey), cancellationToken);

    public Task<bool> PublishPublicIpAsync(string gatewayName, string nodeName, string publicIp, CancellationToken cancellationToken) =>
        UpdateAsync(gatewayName, nodeName, e => GatewayEndpoints.SetPublicIpIfEmpty(e, publicIp), cancellationToken);

    private async Task<bool> UpdateAsync(string gatewayName, string nodeName, Func<Endpoint, bool> change, CancellationToken cancellationToken)
    {
        var changed = false;
        await _gateways.UpdateWithRetryAsync(gatewayName, null, gateway =>
        {
            changed = GatewayEndpoints.TunnelEndpoint(gateway.Spec.Endpoints, nodeName) is { } endpoint && change(endpoint);
            return changed;
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return changed;
    }
}
