using Raven.Api.Net;
using System.Net;

namespace Raven.Agent.Planning;

/// <summary>The tunnel gateway: the tunnel to other domains, VXLAN hub for its members, skip-NAT and MSS clamp.</summary>
internal static class GatewayPlanBuilder
{
    public static NetworkPlan Build(PlanContext context)
    {
        var rules = new List<PolicyRule>();
        var routes = new List<PlannedRoute>();
        var ipSets = new List<IpSetPlan>();
        var chains = new List<FirewallChain>();
        var sysctls = new List<SysctlSetting> { PlanContext.IpForward };
        var remote = context.RemoteCidrs;

        var vxlan = BuildHub(context, routes);
        if (vxlan is not null)
        {
            rules.Add(PlanContext.VxlanRule);
            ipSets.Add(FirewallRules.MarkSet(remote));
            chains.Add(FirewallRules.MarkChain(SetMatchDirection.Source));
            sysctls.Add(PlanContext.VxlanRpFilter);
        }

        var tunnel = TunnelPeers.Build(context);
        rules.Add(new PolicyRule(KernelNames.WireGuardRulePriority, KernelNames.WireGuardRouteTable, null, null));
        var source = TunnelPeers.OwnTrafficSource(context);
        routes.AddRange(TunnelRoutes(context, tunnel, TunnelDestinations(context, remote, tunnel)).Select(r => r with { Source = source }));
        ipSets.Add(FirewallRules.SkipNatSet(context.Local.Cidrs, remote, context.Topology.RelayedPairs));
        chains.Add(FirewallRules.SkipNatChain());
        chains.Add(FirewallRules.MssChain(context.Mtu.TcpMss, tunnel.Device));
        return context.Build(PlanRole.TunnelGateway, vxlan, tunnel, rules, routes, ipSets, chains, sysctls);
    }

    /// <summary>
    /// Remote CIDRs minus the peers' own endpoint addresses: with forward-node-ip a cloud gateway's node IP can be
    /// its public IP, and routing it into the tunnel device would send the tunnel's own UDP into the tunnel (a loop).
    /// </summary>
    internal static IReadOnlyList<Cidr> TunnelDestinations(PlanContext context, IReadOnlyList<Cidr> remote, TunnelPlan tunnel)
    {
        var endpoints = tunnel.Peers.Where(p => p.Endpoint is not null).Select(p => Cidr.Host(p.Endpoint!.Address)).ToList();
        var routed = CidrMath.Exclude(remote, endpoints);
        foreach (var endpoint in endpoints.Where(e => remote.Any(r => r.Contains(e))))
        {
            context.Diagnostics.Add(new(context.Subject, $"peer endpoint {endpoint.Network} lies in a remote CIDR; kept out of table 9028"));
        }

        return routed;
    }

    /// <summary>
    /// Table-9028 routes on the tunnel device. A layer-3 backend gets the merged destinations as device routes; when the
    /// backend names a next hop per peer (a layer-2 cable), each peer's own CIDRs (minus the endpoints) go via its
    /// hop instead, since CIDRs merged across two peers could not name one. A cable that routes standby pairs also
    /// binds each standby's node /32 to that standby's own hop (and leaves it out of the serving peer's), and a local
    /// standby routes through every one of its peers what that peer accepts (<see cref="TunnelPeer.Routed"/>).
    /// </summary>
    internal static IEnumerable<PlannedRoute> TunnelRoutes(PlanContext context, TunnelPlan tunnel, IReadOnlyList<Cidr> destinations)
    {
        var profile = context.Options.Tunnel;
        var hops = tunnel.Peers.Select(p => profile.NextHop(p)).ToList();
        if (hops.All(h => h is null))
        {
            return destinations.Select(cidr => new PlannedRoute(KernelNames.WireGuardRouteTable, cidr, tunnel.Device, null, OnLink: false, context.Mtu.RouteMtu));
        }

        // Without routed standby pairs, standby peers carry nothing: each domain's CIDRs go via its serving peer only.
        var carrying = tunnel.Peers.Select((p, i) => (Peer: p, Hop: hops[i]))
            .Where(p => profile.RoutesStandbyPairs ? p.Peer.Routed is not null || !p.Peer.Standby : !p.Peer.Standby)
            .Select(p => (p.Peer, p.Hop, Cidrs: profile.RoutesStandbyPairs ? p.Peer.Routed ?? p.Peer.RemoteCidrs : p.Peer.RemoteCidrs))
            .ToList();
        var endpoints = tunnel.Peers.Where(p => p.Endpoint is not null).Select(p => Cidr.Host(p.Endpoint!.Address)).ToList();
        return carrying.SelectMany(p => CidrMath.Exclude(p.Cidrs, endpoints).Select(cidr => p.Hop is { } hop
            ? new PlannedRoute(KernelNames.WireGuardRouteTable, cidr, tunnel.Device, hop, OnLink: true, context.Mtu.RouteMtu)
            : new PlannedRoute(KernelNames.WireGuardRouteTable, cidr, tunnel.Device, null, OnLink: false, context.Mtu.RouteMtu)));
    }

    /// <summary>FDB, neighbour and table-9027 routes for every member; null when the gateway is alone.</summary>
    private static VxlanPlan? BuildHub(PlanContext context, List<PlannedRoute> routes)
    {
        var members = context.Local.Nodes
            .Where(n => n.Name != context.Self.Name && context.Overlay.ContainsKey(n.Name))
            .Select(n => (Node: n, Overlay: context.Overlay[n.Name]))
            .Where(m => SameFamily(m.Node, context.Self.PrivateIp, context))
            .ToList();
        if (members.Count == 0)
        {
            return null;
        }

        if (!context.Overlay.TryGetValue(context.Self.Name, out var selfOverlay))
        {
            context.Diagnostics.Add(new(context.Subject, $"gateway node {context.Self.Name} has no raven0 address; members unreachable"));
            return null;
        }

        var claimed = new Dictionary<Cidr, string>();
        foreach (var (node, overlay) in members.OrderBy(m => m.Node.Name, StringComparer.Ordinal))
        {
            foreach (var subnet in node.Subnets)
            {
                if (!claimed.TryAdd(subnet, node.Name))
                {
                    context.Diagnostics.Add(new(context.Subject, $"node {node.Name}: subnet {subnet} already routed to {claimed[subnet]}; skipped", DiagnosticKind.SkippedInput));
                    continue;
                }

                routes.Add(new PlannedRoute(KernelNames.VxlanRouteTable, subnet, KernelNames.VxlanDevice, overlay,
                    OnLink: true, context.Mtu.RouteMtu));
            }
        }

        return context.Vxlan(selfOverlay, members);
    }

    private static bool SameFamily(DomainNode member, IPAddress self, PlanContext context)
    {
        if (member.PrivateIp.AddressFamily == self.AddressFamily)
        {
            return true;
        }

        context.Diagnostics.Add(new(context.Subject, $"node {member.Name}: privateIP family differs from the gateway's; no VXLAN to it", DiagnosticKind.SkippedInput));
        return false;
    }
}
