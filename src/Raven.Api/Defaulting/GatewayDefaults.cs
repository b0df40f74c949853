using Raven.Api.Meta;
using Raven.Api.V1Beta1;

namespace Raven.Api.Defaulting;

/// <summary>What the mutating admission step fills in, on the v1beta1 (hub) form.</summary>
public static class GatewayDefaults
{
    /// <summary>Applies defaults in place; returns true when anything changed.</summary>
    public static bool Apply(Gateway gateway)
    {
        var changed = false;
        var selector = gateway.Spec.NodeSelector ??= new LabelSelector();
        selector.MatchLabels ??= [];
        if (!selector.MatchLabels.TryGetValue(WellKnown.GatewayLabel, out var current) || current != gateway.Name)
        {
            // Merge, never overwrite: users may keep their own selector labels next to ours.
            selector.MatchLabels[WellKnown.GatewayLabel] = gateway.Name;
            changed = true;
        }

        foreach (var endpoint in gateway.Spec.Endpoints ?? [])
        {
            if (endpoint.Port != 0)
            {
                continue;
            }

            var port = DefaultPort(endpoint.Type);
            if (port != 0)
            {
                endpoint.Port = port;
                changed = true;
            }
        }

        return changed;
    }

    public static int DefaultPort(string endpointType) => endpointType switch
    {
        WellKnown.EndpointTypeProxy => WellKnown.ProxyServerExposedPort,
        WellKnown.EndpointTypeTunnel => WellKnown.TunnelServerExposedPort,
        _ => 0,
    };
}
