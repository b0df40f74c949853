using Raven.Api;
using Raven.Lab.Topology;

namespace Raven.Lab.Run;

/// <summary>
/// The lab's Gateways said as one raven-cfg (pure), for `raven lab up --gateways-from-config`: the controller then
/// creates the Gateways itself. What raven-cfg cannot say stays with the agents: the exposed node's elastic IP
/// comes from its agent's --public-ip (a cloud VM knows its EIP) instead of the Gateway's publicIP, and a domain that
/// reuses another's addresses runs L7 only, which raven-cfg cannot say (gateway-nodes always gives a node both
/// endpoint types), so the lab still writes that domain's Gateway itself.
/// </summary>
public static class LabRavenConfig
{
    public static IReadOnlyDictionary<string, string> Data(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var described = topology.Domains.Where(DescribedByConfig).ToList();
        var exposed = described.Where(d => d.Exposure == DomainExposure.Public).ToList();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WellKnown.EnableL3TunnelKey] = "true",
            [WellKnown.EnableL7ProxyKey] = "true",
            ["gateway-replicas"] = "2",
            ["l7-proxy-port"] = $"https={LabCluster.ProxyHttpsPorts}\nhttp={LabCluster.ProxyHttpPorts}\n",
            ["exposed-gateway"] = string.Concat(exposed.Select(d => $"{d.GatewayName}={WellKnown.ExposeTypePublicIP}\n")),
            ["gateway-nodes"] = string.Concat(described.Select(d => $"{d.GatewayName}={string.Join(",", GatewayNodes(d))}\n")),
        };
    }

    /// <summary>Whether raven-cfg can describe the domain's Gateway: not for the L7-only domain with colliding addresses.</summary>
    public static bool DescribedByConfig(LabDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return domain.SharesLanWith is null;
    }

    /// <summary>The elastic IP of a node that has one (the exposed gateway's node), else null.</summary>
    public static string? PublicAddressOf(LabTopology topology, LabNode node)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(node);
        var exposure = topology.DomainOf(node).Router.Exposure;
        return exposure?.NodeLabName == node.LabName ? exposure.PublicAddress.ToString() : null;
    }

    /// <summary>As <see cref="LabCluster"/>: an exposed domain's gateway is only the node with the elastic IP.</summary>
    private static IEnumerable<string> GatewayNodes(LabDomain domain) =>
        domain.Nodes.Where(n => domain.Exposure != DomainExposure.Public || domain.Router.Exposure?.NodeLabName == n.LabName).Select(n => n.NodeName);
}
