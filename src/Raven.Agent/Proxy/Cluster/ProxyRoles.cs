using System.Net;
using Raven.Agent.Proxy.Tunnel;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>What this node runs of the L7 proxy.</summary>
/// <param name="LocalGateway">The Gateway this node belongs to, or null when it is in no domain.</param>
/// <param name="Client">Run a tunnel client towards <paramref name="ServerTargets"/>.</param>
/// <param name="Server">Run the tunnel server and front ends (an active proxy endpoint of an exposed Gateway).</param>
/// <param name="PublicIps">Public IPs of the local Gateway's proxy active endpoints (serving-certificate SANs).</param>
public sealed record ProxyRoles(string? LocalGateway, bool Client, bool Server, IReadOnlyList<DnsEndPoint> ServerTargets,
    IReadOnlyList<IPAddress> PublicIps, string Reason)
{
    public static ProxyRoles None(string? localGateway, string reason) => new(localGateway, false, false, [], [], reason);

    /// <summary>
    /// Upstream's role rules. L7 off (enable-l7-proxy not "true") → nothing. A node in no domain → proxy client. An
    /// active proxy endpoint of its Gateway → proxy client, plus proxy server when the Gateway is exposed. Other gateway
    /// members → nothing (their domain's proxy gateway reaches them). Proxy replicas act through the controller's
    /// election: with 0 replicas nobody is an active proxy endpoint.
    /// </summary>
    /// <param name="labelGateway">The node's raven.openyurt.io/gateway label, used while no Gateway lists the node in
    /// status.nodes yet.</param>
    public static ProxyRoles Decide(bool l7Enabled, IReadOnlyCollection<Gateway> gateways, string nodeName, string? labelGateway)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        var local = gateways.FirstOrDefault(g => (g.Status.Nodes ?? []).Any(n => n.NodeName == nodeName))
            ?? gateways.FirstOrDefault(g => !string.IsNullOrEmpty(labelGateway) && g.Name == labelGateway);
        if (!l7Enabled)
        {
            return None(local?.Name, "L7 proxy is disabled (raven-cfg enable-l7-proxy)");
        }

        if (local is null)
        {
            return new(null, true, false, ProxyServerTargets.For(gateways, null, nodeName), [], "node is in no gateway");
        }

        var proxyEndpoints = (local.Status.ActiveEndpoints ?? []).Where(e => e.Type == WellKnown.EndpointTypeProxy).ToList();
        if (!proxyEndpoints.Any(e => e.NodeName == nodeName))
        {
            return None(local.Name, $"node is not an active proxy endpoint of gateway {local.Name}");
        }

        var exposed = !string.IsNullOrEmpty(local.Spec.ExposeType);
        var publicIps = proxyEndpoints
            .Select(e => IPAddress.TryParse(e.PublicIP?.Trim(), out var ip) ? ip : null)
            .OfType<IPAddress>().Distinct().ToList();
        return new(local.Name, true, exposed, ProxyServerTargets.For(gateways, local.Name, nodeName), exposed ? publicIps : [],
            exposed ? $"active proxy endpoint of exposed gateway {local.Name}" : $"active proxy endpoint of gateway {local.Name}");
    }

    /// <summary>enable-l7-proxy of raven-cfg; absent means off, as upstream.</summary>
    public static bool L7Enabled(IReadOnlyDictionary<string, string>? ravenCfg) =>
        ravenCfg is not null && ravenCfg.TryGetValue(WellKnown.EnableL7ProxyKey, out var value)
        && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
