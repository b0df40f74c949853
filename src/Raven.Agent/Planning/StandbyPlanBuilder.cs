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
        return member.Role == PlanRole.DomainMember ? member with { Role = PlanRole.StandbyGateway, Tunnel = tunnel } : member;
    }
}
