using Raven.Api.Net;

namespace Raven.Agent.Planning;

/// <summary>The tunnel device and one peer per gateway the local gateway exchanges packets with.</summary>
internal static class TunnelPeers
{
    public static TunnelPlan Build(PlanContext context)
    {
        var localUnderNat = context.Local.Tunnel?.UnderNat == true;
        var relayedWith = RelayPartners(context);
        var peers = new List<TunnelPeer>();
        foreach (var route in context.Topology.Peers)
        {
            var tunnel = route.Peer.Tunnel!;
            var endpoint = tunnel.DialEndpoint(context.Options.VpnListenPort);
            if (endpoint is null && context.Local.Tunnel?.IsDialable != true)
            {
                context.Diagnostics.Add(new($"gateway/{route.Peer.Name}",
                    "neither side can be dialled; the peer is kept and waits for NAT traversal"));
            }

            var partners = relayedWith.GetValueOrDefault(route.Peer.Name) ?? [];
            var relay = route.Carried.Count > 1 ? RelayRole.RelaysForUs : partners.Count > 0 ? RelayRole.RelayedByUs : RelayRole.Direct;
            var keepalive = localUnderNat || tunnel.UnderNat ? context.Options.KeepaliveSeconds : (int?)null;
            peers.Add(new TunnelPeer(
                route.Peer.Name,
                tunnel.NodeName,
                endpoint,
                CidrMath.Merge(context.Local.Cidrs.Concat(partners.SelectMany(d => d.Cidrs))).ToValueList(),
                CidrMath.Merge(route.Carried.SelectMany(d => d.Cidrs)).ToValueList(),
                keepalive is > 0 ? keepalive : null,
                relay,
                route.Carried.Select(d => d.Name).ToValueList(),
                tunnel.Config)
            {
                UnderNat = tunnel.UnderNat || tunnel.PublicPort > 0,
            });
        }

        return new TunnelPlan(context.Options.Tunnel.Name, context.Options.TunnelDevice, context.Options.VpnListenPort,
            context.Mtu.TunnelLinkMtu, context.Local.Cidrs, peers.OrderBy(p => p.GatewayName, StringComparer.Ordinal).ToValueList())
        {
            LocalUnderNat = localUnderNat || context.Local.Tunnel?.PublicPort > 0,
            LocalAddress = context.Local.Tunnel?.PublicIp,
            AllowUntrustedUnderlay = context.Options.AllowUntrustedUnderlay,
        };
    }

    /// <summary>On the central gateway: for each relayed peer, the other domains whose traffic it relays to that peer.</summary>
    private static Dictionary<string, List<DomainView>> RelayPartners(PlanContext context)
    {
        var partners = new Dictionary<string, List<DomainView>>(StringComparer.Ordinal);
        foreach (var (a, b) in context.Topology.RelayedPairs)
        {
            Add(a.Name, b);
            Add(b.Name, a);
        }

        return partners;

        void Add(string peer, DomainView other)
        {
            if (!partners.TryGetValue(peer, out var list))
            {
                partners[peer] = list = [];
            }

            list.Add(other);
        }
    }
}
