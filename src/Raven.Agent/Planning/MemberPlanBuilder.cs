namespace Raven.Agent.Planning;

/// <summary>A domain member: mark traffic to remote domains and send it over raven0 to the tunnel gateway.</summary>
internal static class MemberPlanBuilder
{
    public static NetworkPlan Build(PlanContext context)
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

        var remote = context.RemoteCidrs;
        var routes = remote.Select(cidr => new PlannedRoute(KernelNames.VxlanRouteTable, cidr, KernelNames.VxlanDevice,
            gatewayOverlay, OnLink: true, context.Mtu.RouteMtu));
        return context.Build(
            PlanRole.DomainMember,
            context.Vxlan(selfOverlay, [(gateway, gatewayOverlay)]),
            tunnel: null,
            [PlanContext.VxlanRule],
            routes,
            [FirewallRules.MarkSet(remote)],
            [FirewallRules.MarkChain(SetMatchDirection.Destination)],
            [PlanContext.IpForward, PlanContext.VxlanRpFilter]);
    }
}
