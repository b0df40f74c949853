using Raven.Api.Net;

namespace Raven.Agent.Planning;

/// <summary>A domain member: mark traffic to remote domains and send it over raven0 to the tunnel gateway.</summary>
internal static class MemberPlanBuilder
{
    public static NetworkPlan Build(PlanContext context) => Build(context, []);

    /// <param name="keepOut">Addresses never marked or routed towards the gateway (a standby's own tunnel endpoints).</param>
    public static NetworkPlan Build(PlanContext context, IReadOnlyList<Cidr> keepOut)
    {
        var gatewayNodeName = context.Local.Tunnel!.NodeName;
        var gateway = context.Local.Node(gatewayNodeName);
        if (gateway is null)
        {
            context.Diagnostics.Add(new(context.Subject, $"active tunnel endpoint node {gatewayNodeName} is not in status.nodes; L3 disabled"));
            return NetworkPlan.Empty(PlanRole.Disabled, context.NodeName, context.Local.Name, context.Diagnostics);
        }

        if (!context.Overlay.TryGetValue(context.Self.Name, out var selfOverlay) ||
            !context.Overlay.TryGetValue(gateway.Name, out var gatewayOverlay))
        {
            context.Diagnostics.Add(new(context.Subject, $"no raven0 address for {context.Self.Name} or {gateway.Name}; L3 disabled"));
            return NetworkPlan.Empty(PlanRole.Disabled, context.NodeName, context.Local.Name, context.Diagnostics);
        }

        var remote = keepOut.Count == 0 ? context.RemoteCidrs : CidrMath.Exclude(context.RemoteCidrs, keepOut);
        var neighbours = StandbyNeighbours(context).Prepend((gateway, gatewayOverlay));
        var routes = remote.Select(cidr => new PlannedRoute(KernelNames.VxlanRouteTable, cidr, KernelNames.VxlanDevice,
            gatewayOverlay, OnLink: true, context.Mtu.RouteMtu));
        return context.Build(
            PlanRole.DomainMember,
            context.Vxlan(selfOverlay, neighbours),
            tunnel: null,
            [PlanContext.VxlanRule],
            routes,
            [FirewallRules.MarkSet(remote)],
            [FirewallRules.MarkChain(SetMatchDirection.Destination)],
            [PlanContext.IpForward, PlanContext.VxlanRpFilter]);
    }

    /// <summary>
    /// raven0 FDB and neighbour entries for the domain's standby tunnel endpoints (not this node), so moving the
    /// routes to one of them is the only change a take-over needs. Nothing is routed to them while they stand by.
    /// </summary>
    private static IEnumerable<(DomainNode Node, System.Net.IPAddress Overlay)> StandbyNeighbours(PlanContext context)
    {
        foreach (var standby in context.Local.Standbys.Where(s => s.NodeName != context.Self.Name))
        {
            if (context.Local.Node(standby.NodeName) is { } node && context.Overlay.TryGetValue(node.Name, out var overlay))
            {
                yield return (node, overlay);
            }
        }
    }
}
