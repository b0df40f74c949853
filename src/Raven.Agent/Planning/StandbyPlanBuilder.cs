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
        return member with
        {
            Role = PlanRole.StandbyGateway,
            Tunnel = tunnel,
            Sysctls = member.Sysctls.Append(looseTunnel).Distinct().OrderBy(s => s.Key, StringComparer.Ordinal).ToValueList(),
        };
    }
}
