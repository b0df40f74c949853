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
            var standbyHosts = route.Peer.Standbys.SelectMany(s => OwnAddress(route.Peer, s)).ToList();
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
                    Routed = Routed(route.Peer, tunnel, remoteCidrs, standbyHosts, localStandby),
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

    /// <summary>
    /// Every tunnel endpoint's own node address stays bound to its own peer, also while it stands by (on either side):
    /// a standby's probes and their replies then travel through the standby's own tunnel and tell whether that tunnel
    /// would carry the domain, even while its primary's WAN is cut. So a remote standby's peer routes its node /32, the
    /// serving endpoint's peer the domain's CIDRs without the standbys' /32s (one address, one peer), and a local
    /// standby's peer to the serving remote endpoint accepts everything that endpoint may send (its kernel routes
    /// decide what leaves through it).
    /// </summary>
    private static ValueList<Cidr>? Routed(DomainView peer, TunnelEndpointView tunnel, ValueList<Cidr> remoteCidrs,
        IReadOnlyList<Cidr> standbyHosts, bool localStandby)
    {
        if (tunnel != peer.Tunnel)
        {
            return OwnAddress(peer, tunnel).ToValueList();
        }

        return standbyHosts.Count > 0 ? CidrMath.Exclude(remoteCidrs, standbyHosts).ToValueList()
            : localStandby ? remoteCidrs : null;
    }

    /// <summary>
    /// The source for this tunnel endpoint's own traffic into the tunnel (the "src" of its table-9028 routes): its node
    /// address, which remote gateways bind to this endpoint's own peer while another endpoint of the domain carries
    /// the domain. Without it a probe reply would leave from an address (a pod bridge's, say) that the remote binds
    /// to the serving peer and drops. Null where nothing is bound per endpoint: no standbys in the local domain, a
    /// backend that routes no standby pairs, or a node address the tunnel does not carry (forward-node-ip off).
    /// </summary>
    internal static System.Net.IPAddress? OwnTrafficSource(PlanContext context) =>
        context.Local.Standbys.Count > 0 && context.Options.Tunnel.RoutesStandbyPairs && context.Local.Cidrs.Any(c => c.Contains(context.Self.PrivateIp))
            ? context.Self.PrivateIp
            : null;

    /// <summary>The endpoint node's own address, when it is one of its domain's routable addresses (forward-node-ip).</summary>
    internal static IEnumerable<Cidr> OwnAddress(DomainView domain, TunnelEndpointView tunnel) =>
        domain.Node(tunnel.NodeName) is { } node && domain.Cidrs.Any(c => c.Contains(node.PrivateIp))
            ? [Cidr.Host(node.PrivateIp)]
            : [];

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
