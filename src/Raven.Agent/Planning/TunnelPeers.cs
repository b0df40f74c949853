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
            // Probe routes of punched peers on trial leave the relay: each address is bound to one peer.
            var excluded = standbyHosts.Concat(route.Carried.Where(d => context.Topology.PunchOf(d.Name) == PunchStage.Trial)
                .SelectMany(d => OwnAddress(d, d.Tunnel!))).ToList();
            var punchedDirect = context.Topology.PunchOf(route.Peer.Name) == PunchStage.Direct;
            // A punched path reaches the serving endpoint only: a standby's NAT was never punched.
            IEnumerable<TunnelEndpointView> tunnels = punchedDirect ? [route.Peer.Tunnel!] : route.Peer.Standbys.Prepend(route.Peer.Tunnel!);
            foreach (var tunnel in tunnels)
            {
                var standby = localStandby || tunnel != route.Peer.Tunnel;
                var endpoint = punchedDirect ? tunnel.PunchEndpoint(context.Options.VpnListenPort) : tunnel.DialEndpoint(context.Options.VpnListenPort);
                if (endpoint is null && self?.IsDialable != true && !standby)
                {
                    context.Diagnostics.Add(new($"gateway/{route.Peer.Name}",
                        "neither side can be dialled; the peer is kept and waits for NAT traversal"));
                }

                // A standby pair carries no traffic that would keep it warm: it is always kept alive.
                var keepalive = punchedDirect ? context.Options.PunchKeepaliveSeconds
                    : standby || self?.UnderNat == true || tunnel.UnderNat ? context.Options.KeepaliveSeconds : (int?)null;
                peers.Add(new TunnelPeer(route.Peer.Name, tunnel.NodeName, endpoint, localCidrs, remoteCidrs,
                    keepalive is > 0 ? keepalive : null, relay, domains, tunnel.Config)
                {
                    UnderNat = tunnel.UnderNat || tunnel.PublicPort > 0,
                    Standby = standby,
                    RemoteStandby = tunnel != route.Peer.Tunnel,
                    Routed = Routed(route.Peer, tunnel, remoteCidrs, excluded, localStandby),
                    Punched = punchedDirect,
                });
            }
        }

        if (!localStandby)
        {
            peers.AddRange(context.Topology.Punches.Where(p => p.Stage != PunchStage.Direct).Select(p => PunchPeer(context, p)));
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
    /// The peer beside the relay towards a punchable domain's serving endpoint, dialling its published public address
    /// from the tunnel's port with a short keepalive: both ends do so, so each NAT's own outgoing packets open it for
    /// the other's. It routes nothing while relayed (the relay carries the domain, make-before-break) and the remote
    /// endpoint's node /32 on trial, so this node's probes to that address measure the direct path.
    /// </summary>
    private static TunnelPeer PunchPeer(PlanContext context, PunchCandidate punch)
    {
        var tunnel = punch.Remote.Tunnel!;
        var probeRoute = punch.Stage == PunchStage.Trial ? OwnAddress(punch.Remote, tunnel).ToValueList() : ValueList<Cidr>.Empty;
        return new TunnelPeer(punch.Remote.Name, tunnel.NodeName, tunnel.PunchEndpoint(context.Options.VpnListenPort), context.Local.Cidrs,
            probeRoute, context.Options.PunchKeepaliveSeconds, RelayRole.Direct, ValueList<string>.Empty, tunnel.Config)
        {
            UnderNat = true,
            Routed = probeRoute,
            Punched = true,
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
        IReadOnlyList<Cidr> excluded, bool localStandby)
    {
        if (tunnel != peer.Tunnel)
        {
            return OwnAddress(peer, tunnel).ToValueList();
        }

        return excluded.Count > 0 ? CidrMath.Exclude(remoteCidrs, excluded).ToValueList()
            : localStandby ? remoteCidrs : null;
    }

    /// <summary>
    /// The source for this tunnel endpoint's own traffic into the tunnel (the "src" of its table-9028 routes): its node
    /// address, which remote gateways bind to this endpoint's own peer while another endpoint of the domain carries
    /// the domain. Without it a probe reply would leave from an address (a pod bridge's, say) that the remote binds
    /// to the serving peer and drops. Null where nothing is bound per endpoint: no standbys in the local domain, a
    /// backend that routes no standby pairs, or a node address the tunnel does not carry (forward-node-ip off).
    /// The same holds beside a punched peer: on trial it routes only the remote endpoint's node /32, so probe replies
    /// must come from this node's address, not from a pod bridge's that the remote binds to the relay.
    /// </summary>
    internal static System.Net.IPAddress? OwnTrafficSource(PlanContext context) =>
        ((context.Local.Standbys.Count > 0 && context.Options.Tunnel.RoutesStandbyPairs) || context.Topology.Punches.Count > 0) &&
        context.Local.Cidrs.Any(c => c.Contains(context.Self.PrivateIp))
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
