using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Controller.Election;

/// <summary>
/// Chooses status.activeEndpoints. Per type, up to Replicas endpoints whose node is a member and eligible.
/// Sticky: a current active endpoint that is still eligible stays. Deterministic: ties and shrinking are
/// decided by spec order, never by map or hash order (upstream keeps a random subset when replicas shrink).
/// </summary>
public static class EndpointElection
{
    public static IReadOnlyList<Endpoint> Elect(Gateway gateway, IReadOnlyDictionary<string, NodeFacts> members, FeatureSwitches switches)
    {
        var elected = new List<Endpoint>();
        // Tunnel first: a v1alpha1 reader sees only activeEndpoints[0], and that should be the tunnel.
        foreach (var type in new[] { WellKnown.EndpointTypeTunnel, WellKnown.EndpointTypeProxy })
        {
            if (switches.Enabled(type))
            {
                elected.AddRange(ElectType(gateway, type, members).Select(e => WithFlag(e, type)));
            }
        }

        return elected;
    }

    private static IEnumerable<Endpoint> ElectType(Gateway gateway, string type, IReadOnlyDictionary<string, NodeFacts> members)
    {
        var replicas = type == WellKnown.EndpointTypeTunnel ? gateway.Spec.TunnelConfig.Replicas : gateway.Spec.ProxyConfig.Replicas;
        if (replicas <= 0)
        {
            return [];
        }

        // Distinct by node: a node listed twice for one type counts once.
        var candidates = (gateway.Spec.Endpoints ?? [])
            .Where(e => e.Type == type && members.TryGetValue(e.NodeName, out var node) && node.Eligible)
            .DistinctBy(e => e.NodeName)
            .ToList();
        var current = (gateway.Status.ActiveEndpoints ?? []).Where(e => e.Type == type).Select(e => e.NodeName).ToHashSet(StringComparer.Ordinal);
        var sticky = candidates.Where(e => current.Contains(e.NodeName));
        var fresh = candidates.Where(e => !current.Contains(e.NodeName));
        var chosen = sticky.Concat(fresh).Take(replicas).Select(e => e.NodeName).ToHashSet(StringComparer.Ordinal);

        // Copies refreshed from spec, so agent-written publicIP, NAT fields and keys reach the status.
        return candidates.Where(e => chosen.Contains(e.NodeName)).Select(e => e.Clone());
    }

    private static Endpoint WithFlag(Endpoint endpoint, string type)
    {
        endpoint.Config ??= [];
        endpoint.Config[type == WellKnown.EndpointTypeTunnel ? WellKnown.EnableL3TunnelKey : WellKnown.EnableL7ProxyKey] = "true";
        return endpoint;
    }
}
