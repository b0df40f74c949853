using Raven.Api.Net;

namespace Raven.Agent.Planning;

/// <summary>The tunnel device and one peer per gateway the local gateway exchanges packets with.</summary>
internal static class TunnelPeers
{
    /// <summary>
    /// Every local tunnel endpoint peers with every tunnel endpoint of each remote domain it sends through: the
    /// serving pair carries the traffic, any pair with a standby end is a hot standby (always kept alive).
    /// </summary>
    public static TunnelPlan Build(PlanContext context)
    {
        var self = context.Local.Tunnel?.NodeName == context.NodeName
            ? context.Local.Tunnel
            : context.Local.Standbys.FirstOrDefault(s => s.NodeName == context.NodeName);
        var localStandby = self != context.Local.Tunnel;
        var relayedWith = RelayPartners(context);
        var peers = new List<TunnelPeer>();
        foreach (var route in context.Topology.Peers)
        {
            var partners = relayedWith.GetValueOrDefault(route.Peer.Name) ?? [];
            var relay = route.Carried.Count > 1 ? RelayRole.RelaysForUs : partners.Count > 0 ? RelayRole.RelayedByUs : RelayRole.Direct;
            var localCidrs = CidrMath.Merge(context.Local.Cidrs.Concat(partners.SelectMany(d => d.Cidrs))).ToValueList();
            var remoteCidrs = CidrMath.Merge(route.Carried.SelectMany(d => d.Cidrs)).ToValueList();
            var domains = route.Carried.Select(d => d.Name).ToValueList();
            foreach (var tunnel in route.Peer.Standbys.Prepend(route.Peer.Tunnel!))
            {
                var standby = localStandby || tunnel != route.Peer.Tunnel;
                var endpoint = tunnel.DialEndpoint(context.Options.VpnListenPort);
                if (endpoint is null && self?.IsDialable != true && !standby)
                {
                    context.Diagnostics.Add(new($"gateway/{route.Peer.Name}",
                        "neither side can be dialled; the peer is kept and waits for NAT traversal"));
                }

                // A standby pair carries no traffic that would keep it warm: it is always kept alive.
                var keepalive = standby || self?.UnderNat == true || tunnel.UnderNat ? context.Options.KeepaliveSeconds : (int?)null;
                peers.Add(new TunnelPeer(route.Peer.Name, tunnel.NodeName, endpoint, localCidrs, remoteCidrs,
                    keepalive is > 0 ? keepalive : null, relay, domains, tunnel.Config)
                {
                    UnderNat = tunnel.UnderNat || tunnel.PublicPort > 0,
                    Standby = standby,
                    Routed = localStandby ? ProbeRoute(route.Peer, tunnel) : null,
                });
            }
        }

        return new TunnelPlan(context.Options.Tunnel.Name, context.Options.TunnelDevice, context.Options.VpnListenPort,
            context.Mtu.TunnelLinkMtu, context.Local.Cidrs,
            peers.OrderBy(p => p.GatewayName, StringComparer.Ordinal).ThenBy(p => p.Standby).ThenBy(p => p.NodeName, StringComparer.Ordinal).ToValueList())
        {
            LocalUnderNat = self?.UnderNat == true || self?.PublicPort > 0,
            LocalAddress = self?.PublicIp,
            AllowUntrustedUnderlay = context.Options.AllowUntrustedUnderlay,
        };
    }

    /// <summary>The remote endpoint node's own address, when it is one of the domain's routable addresses (forward-node-ip).</summary>
    private static ValueList<Cidr> ProbeRoute(DomainView peer, TunnelEndpointView tunnel) =>
        peer.Node(tunnel.NodeName) is { } node && peer.Cidrs.Any(c => c.Contains(node.PrivateIp))
            ? new[] { Cidr.Host(node.PrivateIp) }.ToValueList()
            : ValueList<Cidr>.Empty;

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
