using Microsoft.Extensions.Logging;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;

namespace Raven.Agent.Engine;

/// <summary>Warning events on Gateways through the API server, reported by this node's agent.</summary>
public sealed class KubeGatewayEvents(KubeClient client, string nodeName, ILogger logger) : IGatewayEvents
{
    private readonly EventRecorder _recorder = new(client, "raven-agent", nodeName);

    public async Task WarnAsync(Gateway gateway, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var reference = EventRecorder.Reference(WellKnown.ApiVersionV1Beta1, WellKnown.GatewayKind, gateway.Metadata);
        if (await _recorder.RecordAsync(reference, EventRecorder.TypeWarning, reason, message, cancellationToken).ConfigureAwait(false) is { } error)
        {
            logger.LogWarning("could not record event {Reason} on gateway {Gateway}: {Error}", reason, gateway.Name, KubeErrors.Describe(error));
        }
    }
}
