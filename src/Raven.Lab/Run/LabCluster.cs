using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Lab.Topology;

namespace Raven.Lab.Run;

/// <summary>
/// The seed manual's Gateways, adapted to the lab's nodes (pure). The manual's gw-hangzhou/gw-cloud/gw-qingdao keep
/// their shape (proxy and tunnel endpoints, cloud exposed with a public IP and the manual's proxied
/// ports); every document is v1beta1 because the manual's v1alpha1 documents use v1beta1-only fields. Replicas are 2
/// (our extension for tunnels): each edge's second node is a hot standby tunnel endpoint and a second proxy client,
/// so failover has somewhere to go within a second (the cloud, with one eligible node, stays at 1); shenzhen reuses hangzhou's addresses, so it runs L7 only.
/// </summary>
public static class LabCluster
{
    public const string ProxyHttpPorts = "10255,9445";
    public const string ProxyHttpsPorts = "10250,9100";

    public static IReadOnlyList<Gateway> Gateways(LabTopology topology) =>
        topology.Domains.Select(domain => Gateway(topology, domain)).ToList();

    private static Gateway Gateway(LabTopology topology, LabDomain domain)
    {
        var exposed = domain.Exposure == DomainExposure.Public;
        var collides = domain.SharesLanWith is not null;
        var endpoints = new List<Endpoint>();
        foreach (var node in domain.Nodes)
        {
            var publicIp = domain.Router.Exposure?.NodeLabName == node.LabName ? domain.Router.Exposure.PublicAddress.ToString() : null;
            if (exposed && publicIp is null)
            {
                continue; // only the cloud node with the elastic IP can serve as the exposed gateway
            }

            foreach (var type in collides ? [WellKnown.EndpointTypeProxy] : new[] { WellKnown.EndpointTypeTunnel, WellKnown.EndpointTypeProxy })
            {
                endpoints.Add(new Endpoint
                {
                    NodeName = node.NodeName,
                    Type = type,
                    Port = type == WellKnown.EndpointTypeTunnel ? WellKnown.TunnelServerExposedPort : WellKnown.ProxyServerExposedPort,
                    UnderNAT = !exposed,
                    PublicIP = publicIp,
                });
            }
        }

        var replicas = Math.Min(2, endpoints.Select(e => e.NodeName).Distinct().Count());
        return new Gateway
        {
            Metadata = new() { Name = domain.GatewayName },
            Spec = new GatewaySpec
            {
                ExposeType = exposed ? WellKnown.ExposeTypePublicIP : null,
                ProxyConfig = new ProxyConfiguration
                {
                    Replicas = replicas,
                    ProxyHTTPPort = exposed ? ProxyHttpPorts : null,
                    ProxyHTTPSPort = exposed ? ProxyHttpsPorts : null,
                },
                TunnelConfig = new TunnelConfiguration { Replicas = collides ? 0 : replicas },
                Endpoints = endpoints,
            },
        };
    }

    /// <summary>raven-cfg and raven-agent-config as the raven-agent chart ships them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ConfigMaps(string vpnDriver = LabComponents.DefaultVpnDriver) => new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        [WellKnown.RavenGlobalConfig] = new Dictionary<string, string> { [WellKnown.EnableL3TunnelKey] = "true", [WellKnown.EnableL7ProxyKey] = "true" },
        [WellKnown.RavenAgentConfig] = new Dictionary<string, string>
        {
            ["vpn-driver"] = vpnDriver,
            ["forward-node-ip"] = "true",
            ["nat-traversal"] = "false",
            ["tunnel-bind-addr"] = ":4500",
            ["proxy-external-addr"] = ":10262",
            ["proxy-internal-secure-addr"] = ":10263",
            ["proxy-internal-insecure-addr"] = ":10264",
            ["metric-bind-addr"] = ":10265",
        },
    };
}
