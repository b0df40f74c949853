using System.Net;
using Raven.Api;
using Raven.Api.Net;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Health.Wiring;

/// <summary>A node the probes may target: its name and its private (LAN) address.</summary>
public sealed record HealthNode(string NodeName, IPAddress PrivateIp);

/// <summary>
/// A domain as the probes see it: its elected tunnel endpoints (status.activeEndpoints) in priority order, which is
/// their order in spec.endpoints, and its other nodes. <paramref name="Recorded"/> is the endpoint the controller lists
/// first in the status, the one it last saw serving: what a node that knows nothing yet (its own start) sends through.
/// </summary>
/// <remarks>
/// Priority is not the status order: the controller puts the serving endpoint first there, so an order read from it
/// follows the claims, and with the controller's lag it fed back into them. Two gateways each read themselves first
/// from an order recorded a second earlier and took the domain from each other about once a second (CI, lab start).
/// </remarks>
public sealed record HealthDomain(string Name, IReadOnlyList<HealthNode> Gateways, IReadOnlyList<HealthNode> Members, string? Recorded = null)
{
    public IEnumerable<string> GatewayNames => Gateways.Select(g => g.NodeName);
}

/// <summary>
/// What one node's health wiring needs from the Gateways: its own domain and the remote ones. Pure; endpoints
/// without a parsable private address in status.nodes are left out (nothing to probe).
/// </summary>
public sealed record HealthView(string Self, HealthDomain? Own, IReadOnlyList<HealthDomain> Remote)
{
    public static readonly HealthView Empty = new("", null, []);

    /// <summary>This node is one of its domain's tunnel endpoints (serving or standby).</summary>
    public bool SelfIsGateway => Own?.Gateways.Any(g => g.NodeName == Self) == true;

    /// <summary>This node's private (LAN) address from its domain's status; null when it is in no domain.</summary>
    public IPAddress? SelfIp => Own?.Gateways.Concat(Own.Members).FirstOrDefault(n => n.NodeName == Self)?.PrivateIp;

    public static HealthView From(IEnumerable<Gateway> gateways, string self)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var domains = gateways.GroupBy(g => g.Name, StringComparer.Ordinal).Where(g => g.Count() == 1)
            .Select(g => Read(g.Single())).OrderBy(d => d.Domain.Name, StringComparer.Ordinal).ToList();
        var own = domains.FirstOrDefault(d => d.AllNodes.Contains(self)).Domain;
        return new HealthView(self, own, domains.Select(d => d.Domain).Where(d => d.Name != own?.Name && d.Gateways.Count > 0).ToList());
    }

    private static (HealthDomain Domain, HashSet<string> AllNodes) Read(Gateway gateway)
    {
        var addresses = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        foreach (var node in gateway.Status?.Nodes ?? [])
        {
            if (!string.IsNullOrEmpty(node?.NodeName) && Cidr.TryParseAddress(node.PrivateIP, out var ip))
            {
                addresses.TryAdd(node.NodeName, ip);
            }
        }

        var priority = TunnelNodes(gateway.Spec?.Endpoints);
        var recorded = TunnelNodes(gateway.Status?.ActiveEndpoints).Where(addresses.ContainsKey).ToList();
        var gatewayNodes = recorded
            .OrderBy(n => priority.IndexOf(n) is var index and >= 0 ? index : int.MaxValue)
            .Select(n => new HealthNode(n, addresses[n])).ToList();
        var members = addresses.Where(a => gatewayNodes.All(g => g.NodeName != a.Key))
            .OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new HealthNode(a.Key, a.Value)).ToList();
        return (new HealthDomain(gateway.Name, gatewayNodes, members, recorded.FirstOrDefault()), [.. addresses.Keys]);
    }

    private static List<string> TunnelNodes(IEnumerable<Endpoint?>? endpoints) =>
        (endpoints ?? []).Where(e => e?.Type == WellKnown.EndpointTypeTunnel && !string.IsNullOrEmpty(e.NodeName))
            .Select(e => e!.NodeName).Distinct(StringComparer.Ordinal).ToList();
}
