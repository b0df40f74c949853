using System.Security.Cryptography;
using System.Text;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Controller.Services;

/// <summary>
/// LoadBalancer Services for gateways with exposeType LoadBalancer: one per active endpoint *slot*, not per node.
/// A slot keeps its Service (and so its load balancer address) when failover moves it to another node; only the
/// Endpoints and the endpoints-name label follow the node. Upstream names carry a random suffix and collide (#2760).
/// </summary>
public static class PublicServicePlanner
{
    public const string DiscardAnnotation = "svc.openyurt.io/discard";
    private const int MaxServiceName = 63;

    /// <param name="gateway">The gateway; nothing is wanted unless it is exposed by LoadBalancer.</param>
    /// <param name="nodeIps">InternalIP per node name.</param>
    /// <param name="existingByNode">Names of this gateway's existing LB Services per (type, node), to keep slots sticky.</param>
    public static IReadOnlyList<DesiredService> Plan(
        Gateway gateway, IReadOnlyDictionary<string, string> nodeIps, AgentPorts ports,
        IReadOnlyDictionary<(string Type, string Node), string> existingByNode)
    {
        if (gateway.Spec.ExposeType != WellKnown.ExposeTypeLoadBalancer)
        {
            return [];
        }

        var result = new List<DesiredService>();
        foreach (var type in new[] { WellKnown.EndpointTypeTunnel, WellKnown.EndpointTypeProxy })
        {
            var actives = (gateway.Status.ActiveEndpoints ?? []).Where(e => e.Type == type && e.Port is >= 1 and <= 65535).ToList();
            var names = AssignSlots(gateway.Name, type, actives, existingByNode);
            foreach (var endpoint in actives)
            {
                var addresses = nodeIps.TryGetValue(endpoint.NodeName, out var ip) && ip.Length > 0 ? new[] { new DesiredAddress(ip, endpoint.NodeName) } : [];
                result.Add(new DesiredService(
                    names[endpoint.NodeName],
                    "LoadBalancer",
                    new Dictionary<string, string>
                    {
                        [WellKnown.GatewayLabel] = gateway.Name,
                        [WellKnown.GatewayTypeLabel] = type,
                        [WellKnown.EndpointsNameLabel] = endpoint.NodeName,
                    },
                    new Dictionary<string, string> { [DiscardAnnotation] = "true" },
                    type == WellKnown.EndpointTypeTunnel ? TunnelPorts(endpoint.Port, ports.Tunnel) : [new DesiredPort("", "TCP", endpoint.Port, ports.ProxyExternal)],
                    addresses,
                    "Local"));
            }
        }

        return result;
    }

    /// <summary>
    /// The tunnel port plus the STUN responder's two inbound ports: the exposed gateway answers the edges' NAT
    /// discovery, and behind a load balancer those requests reach it only through this Service. Where the tunnel
    /// port itself is one of them, the Service cannot carry both, and the tunnel wins.
    /// </summary>
    private static IReadOnlyList<DesiredPort> TunnelPorts(int port, int target)
    {
        var result = new List<DesiredPort> { new("tunnel", "UDP", port, target) };
        foreach (var (name, stun) in new[] { ("stun", WellKnown.StunPrimaryPort), ("stun-alternate", WellKnown.StunAlternatePort) })
        {
            if (stun != port)
            {
                result.Add(new DesiredPort(name, "UDP", stun, stun));
            }
        }

        return result;
    }

    /// <summary>Slot i is named SlotName(gw, type, i); an active node keeps the slot its Service already has.</summary>
    private static Dictionary<string, string> AssignSlots(string gateway, string type, List<Endpoint> actives, IReadOnlyDictionary<(string Type, string Node), string> existing)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var allSlots = Enumerable.Range(0, Math.Max(actives.Count, 1) + existing.Count).Select(i => SlotName(gateway, type, i)).ToList();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in actives)
        {
            if (existing.TryGetValue((type, endpoint.NodeName), out var name) && allSlots.Contains(name) && taken.Add(name))
            {
                names[endpoint.NodeName] = name;
            }
        }

        // Freed slots first (their load balancer address is the one peers already know), then new ones.
        var free = allSlots.Where(n => !taken.Contains(n)).ToList();
        foreach (var endpoint in actives.Where(e => !names.ContainsKey(e.NodeName)))
        {
            names[endpoint.NodeName] = free[0];
            free.RemoveAt(0);
        }

        return names;
    }

    /// <summary>x-raven-tunnel-svc-gw-cloud, x-raven-tunnel-svc-gw-cloud-1, ...; long names end in a hash.</summary>
    public static string SlotName(string gateway, string type, int slot)
    {
        var prefix = type == WellKnown.EndpointTypeTunnel ? "x-raven-tunnel-svc" : "x-raven-proxy-svc";
        var name = slot == 0 ? $"{prefix}-{gateway}" : $"{prefix}-{gateway}-{slot}";
        if (name.Length <= MaxServiceName && !name.Contains('.', StringComparison.Ordinal))
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..10];
        var head = $"{prefix}-{gateway.Replace('.', '-')}"[..Math.Min(MaxServiceName - 11, prefix.Length + 1 + gateway.Length)].TrimEnd('-');
        return $"{head}-{hash}";
    }
}
