using Raven.Api.Net;

namespace Raven.Agent.Planning;

/// <summary>
/// A standby tunnel endpoint: a member for its own traffic (VXLAN to the serving gateway) plus its hot-standby
/// tunnel, whose peers are all standby pairs. The remote endpoints' addresses stay out of the member routes, or the
/// standby's own tunnel packets would be sent to the serving gateway.
/// </summary>
internal static class StandbyPlanBuilder
{
    public static NetworkPlan Build(PlanContext context)
    {
        var tunnel = TunnelPeers.Build(context);
        var endpoints = tunnel.Peers.Where(p => p.Endpoint is not null).Select(p => Cidr.Host(p.Endpoint!.Address)).ToList();
        var member = MemberPlanBuilder.Build(context, endpoints);
        if (member.Role != PlanRole.DomainMember)
        {
            return member;
        }

        // Replies to the standby's probes may come in through its tunnel while its main table points at the LAN.
        var looseTunnel = new SysctlSetting($"net.ipv4.conf.{tunnel.Device}.rp_filter", "2");
        var (rules, routes) = OwnTraffic(context, tunnel);
        return member with
        {
            Role = PlanRole.StandbyGateway,
            Tunnel = tunnel,
            Rules = member.Rules.Concat(rules).OrderBy(r => r.Priority).ToValueList(),
            Routes = member.Routes.Concat(routes).OrderBy(r => r.Table).ThenBy(r => r.Destination).ToValueList(),
            Sysctls = member.Sysctls.Append(looseTunnel).Distinct().OrderBy(s => s.Key, StringComparer.Ordinal).ToValueList(),
        };
    }

    /// <summary>
    /// The node's own traffic to remote domains (source: its node IP) leaves through its own tunnel, where remote
    /// gateways bind that address (<see cref="TunnelPeers"/>): its probes, their replies and anything a host process
    /// sends. Forwarded pod traffic still takes the mark rule to the serving gateway. Only when the backend routes
    /// standby pairs and the node IP is routed at all (forward-node-ip).
    /// </summary>
    private static (IEnumerable<PolicyRule> Rules, IEnumerable<PlannedRoute> Routes) OwnTraffic(PlanContext context, TunnelPlan tunnel)
    {
        if (TunnelPeers.OwnTrafficSource(context) is not { } self)
        {
            return ([], []);
        }

        var rule = new PolicyRule(KernelNames.StandbySourceRulePriority, KernelNames.WireGuardRouteTable, null, null) { Source = Cidr.Host(self) };
        var destinations = GatewayPlanBuilder.TunnelDestinations(context, context.RemoteCidrs, tunnel);
        var routes = GatewayPlanBuilder.TunnelRoutes(context, tunnel, destinations).Select(r => r with { Source = self });
        return ([rule], routes.ToList());
    }
}
