using System.Net;
using Raven.Agent.Planning;
using Raven.Api.Net;

namespace Raven.Cli.Trace;

/// <summary>
/// Pure: whether a hot standby tunnel endpoint sends a packet through its own tunnel rather than over raven0 to its
/// domain's serving endpoint, read off the agents' own plan for that node (the standby-source rule from its node
/// address and the table route to the destination), not decided again here. Only its own traffic (source: its node
/// address) does: forwarded pod traffic takes the member path like any other node's.
/// </summary>
internal static class StandbyOwnTraffic
{
    /// <summary>The rule and route a standby's packet from <paramref name="from"/> to <paramref name="to"/> takes; null: not its own tunnel.</summary>
    public static OwnTunnel? Find(TraceContext context, TraceEnd from, TraceEnd to)
    {
        if (!IPAddress.TryParse(from.Address, out var source) || !IPAddress.TryParse(to.Address, out var destination))
        {
            return null;
        }

        var plan = context.PlanFor(from.Node);
        if (plan.Role != PlanRole.StandbyGateway)
        {
            return null;
        }

        var rule = plan.Rules.FirstOrDefault(r => r.Priority == KernelNames.StandbySourceRulePriority && r.Source is { } s && s.Contains(source));
        var route = rule is null ? null
            : plan.Routes.Where(r => r.Table == rule.Table && r.Destination.Contains(destination) && (r.Source is null || r.Source.Equals(source)))
                .OrderByDescending(r => r.Destination.PrefixLength).FirstOrDefault();
        return route is null ? null : new OwnTunnel(rule!, route, source);
    }

    /// <summary>Why a standby's packet still goes to the serving endpoint: it is not the node's own, or the plan gives it no tunnel route.</summary>
    public static string? WhyNot(TraceContext context, TraceEnd from, string serving)
    {
        var plan = context.PlanFor(from.Node);
        if (plan.Role != PlanRole.StandbyGateway)
        {
            return null;
        }

        var own = plan.Rules.FirstOrDefault(r => r.Priority == KernelNames.StandbySourceRulePriority)?.Source;
        var nodeAddress = context.Nodes.TryGetValue(from.Node, out var view) ? view.Facts.InternalIp : null;
        return own is { } cidr && IPAddress.TryParse(from.Address, out var address) && !cidr.Contains(address)
            ? $"{from.Node} is a hot standby of {plan.GatewayName}, but only its own traffic (from {cidr.Network}) uses its own tunnel: this packet (from {from.Address}) goes to the serving endpoint {serving} like any member's"
            : own is null && from.Address is not null && from.Address == nodeAddress
                ? $"{from.Node} is a hot standby of {plan.GatewayName}, but the agents' plan gives its own traffic no route of its own ({context.Options.Tunnel.Name} routes no standby pairs, or node IPs do not enter the tunnel): it goes to the serving endpoint {serving}"
                : null;
    }
}

/// <summary>The standby-source rule and the tunnel route the plan gives a standby's own packet.</summary>
internal sealed record OwnTunnel(PolicyRule Rule, PlannedRoute Route, IPAddress Source)
{
    public string Describe() =>
        $"rule {Rule.Priority} from {Rule.Source} lookup {Rule.Table}: {Route.Destination} dev {Route.Device}{(Route.Source is { } s ? $" src {s}" : "")}";
}
