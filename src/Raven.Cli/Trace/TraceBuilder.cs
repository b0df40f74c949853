using System.Net;
using Raven.Api;

namespace Raven.Cli.Trace;

/// <summary>
/// Pure: (snapshot, SRC, DST) → the hops a packet from SRC to DST takes: pod → node → raven0 (VXLAN to its domain's
/// serving gateway) → gateway → tunnel (direct, or relayed via the central gateway) → remote gateway → raven0 → node
/// → pod; then the hops of its reply from DST back to SRC, built by the same code, and whether the two are mirror
/// images. Within one node or one domain Raven carries nothing, and the trace says so. A tunnel endpoint sends its
/// own traffic into the tunnel itself (no raven0 hop): the serving one as the domain's gateway, a hot standby through
/// its own tunnel, as the agents' plan for it says. Each hop has a health and the reason for the choice; a hop not
/// measured by an agent says it is planned.
/// </summary>
public static class TraceBuilder
{
    public static TraceReport Build(TraceSnapshot snapshot, string source, string destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var at = snapshot.Cluster.ReadAt;
        var (from, fromError) = TraceTargets.Resolve(source, snapshot);
        var (to, toError) = TraceTargets.Resolve(destination, snapshot);
        if (from is null || to is null)
        {
            var error = string.Join("; ", new[] { fromError is null ? null : $"SRC {source}: {fromError}", toError is null ? null : $"DST {destination}: {toError}" }.OfType<string>());
            return new TraceReport(at, source, destination, from, to, [], error);
        }

        var context = new TraceContext(snapshot);
        var (hops, request) = Direction(context, from, to, Words.Request);
        // The L7 proxy is connection-oriented: the answer comes back over the connections the request opened.
        var (replyHops, reply) = request.Kind == TraceRoute.L7 ? (Mirror(hops), request) : Direction(context, to, from, Words.Reply);
        var symmetry = TraceSymmetryBuilder.Compare(from, to, request, reply, hops, replyHops);
        return new TraceReport(at, source, destination, from, to, hops, null, replyHops, symmetry);
    }

    /// <summary>How the hops of one direction name its ends: the request's source, or the reply's sender.</summary>
    /// <param name="IsReply">A reply is addressed to the request's source address: L3 only, never "by name" through the L7 proxy.</param>
    private sealed record Words(string From, string To, bool IsReply)
    {
        public static readonly Words Request = new("source", "destination", false);
        public static readonly Words Reply = new("replying", "original source", true);
    }

    private static (List<TraceHop> Hops, TraceRoute Route) Direction(TraceContext context, TraceEnd from, TraceEnd to, Words words)
    {
        var hops = new List<TraceHop>();
        if (from.Kind == TraceTargets.PodKind)
        {
            hops.Add(NodeHops.Pod(PodOf(context.Snapshot, from), from, $"{words.From} pod"));
        }

        hops.Add(NodeHops.Node(context, from.Node, from.Kind == TraceTargets.PodKind ? $"the {words.From} pod's node (spec.nodeName)" : $"{words.From} node",
            from.Kind == TraceTargets.PodKind ? null : from.Address));
        var route = Between(context, from, to, hops, words);
        return (hops, route);
    }

    /// <summary>The request's hops in reverse order, links named the other way round (the L7 proxy's answer).</summary>
    private static List<TraceHop> Mirror(List<TraceHop> hops) =>
        [.. Enumerable.Reverse(hops).Select(h => h.Name.Split(" -> ") is [var a, var b] ? h with { Name = $"{b} -> {a}" } : h)];

    private static TraceRoute Between(TraceContext context, TraceEnd from, TraceEnd to, List<TraceHop> hops, Words words)
    {
        if (from.Node == to.Node)
        {
            hops[^1] = hops[^1] with { Reason = hops[^1].Reason + "; both ends are on this node: delivered by the node itself (its pod bridge or loopback), no Raven hop" };
            Arrive(context, to, hops, nodeHop: false, words);
            return new TraceRoute(TraceRoute.SameNode);
        }

        if (from.Gateway is null || to.Gateway is null)
        {
            var outside = from.Gateway is null ? from.Node : to.Node;
            hops.Add(new TraceHop("l3", $"{from.Node} -> {to.Node}", null, TraceHealth.Fail,
                $"node {outside} is in no gateway (no {WellKnown.GatewayLabel} label): Raven routes nothing to or from it; label it into a domain, or reach it by name through the L7 proxy", TraceHealth.Api));
            return new TraceRoute(TraceRoute.None);
        }

        if (from.Gateway == to.Gateway)
        {
            hops.Add(new TraceHop("lan", $"{from.Node} -> {to.Node}", null, TraceHealth.Ok,
                $"same domain {from.Gateway}: routed directly over the domain's LAN (Raven tunnels only between domains)", TraceHealth.Api));
            Arrive(context, to, hops, nodeHop: true, words);
            return new TraceRoute(TraceRoute.Lan);
        }

        if (!words.IsReply && to.Kind == TraceTargets.NodeKind && L7Path.Needed(context, to) is { } why)
        {
            // By name the node is reachable through the L7 proxy where L3 cannot carry its address.
            hops.Add(new TraceHop("l3", $"{from.Gateway} -> {to.Gateway}", to.Address, TraceHealth.Ok, why + ": by name, through the L7 proxy", TraceHealth.Planned));
            L7Path.Add(context, from, to, hops);
            return new TraceRoute(TraceRoute.L7);
        }

        if (!context.Switches.Tunnel)
        {
            hops.Add(new TraceHop("l3", $"{from.Gateway} -> {to.Gateway}", null, TraceHealth.Fail,
                $"L3 is off: {WellKnown.WorkingNamespace}/{WellKnown.RavenGlobalConfig} {WellKnown.EnableL3TunnelKey} is not \"true\", so no tunnel carries traffic between domains; "
                + $"set it to \"true\", or reach nodes by name through the L7 proxy ({WellKnown.EnableL7ProxyKey})", TraceHealth.Api));
            return new TraceRoute(TraceRoute.None);
        }

        if (Outbound(context, from, to, hops) is not { } egress)
        {
            return new TraceRoute(TraceRoute.None);
        }

        var (sourceEndpoint, egressWhy) = egress;

        var route = new TraceRoute(TraceRoute.Tunnel) { Egress = sourceEndpoint, EgressWhy = egressWhy };
        if (context.Serving(to.Gateway) is null)
        {
            hops.Add(new TraceHop("gateway", to.Gateway, null, TraceHealth.Fail,
                $"{to.Gateway} has no active tunnel endpoint (status.activeEndpoints lists none): its addresses are unreachable over L3; see raven status for why none is elected", TraceHealth.Api));
            return route;
        }

        if (Unrouted(context, sourceEndpoint, to) is { } unrouted)
        {
            hops.Add(unrouted);
            return route;
        }

        var legs = TunnelLegs.Build(context, from.Gateway, sourceEndpoint, to.Gateway, to.Address);
        hops.AddRange(legs.Hops);
        route = route with { Path = legs.Path, Relay = legs.Relay, PathWhy = legs.PathWhy, Ingress = legs.RemoteEndpoint, IngressWhy = legs.RemoteWhy };
        if (legs.RemoteEndpoint is not { } remote || legs.Hops.Any(h => h.Health == TraceHealth.Fail))
        {
            return route;
        }

        hops.Add(GatewayHop(context, to.Gateway, remote, legs.BoundStandby
            ? $"hot standby tunnel endpoint of {to.Gateway}, reached through its own tunnel: {legs.RemoteWhy}"
            : $"serving tunnel endpoint of {to.Gateway}", standby: legs.BoundStandby));
        if (remote != to.Node)
        {
            hops.Add(new TraceHop("vxlan", $"{remote} -> {to.Node}", null, TraceHealth.Ok,
                $"{remote} forwards to its domain's member {to.Node} over raven0 (VXLAN), the route its agent sets for each member's pod CIDR and node IP", TraceHealth.Planned));
            Arrive(context, to, hops, nodeHop: true, words);
        }
        else
        {
            Arrive(context, to, hops, nodeHop: false, words);
        }

        return route;
    }

    /// <summary>
    /// Source node → the tunnel endpoint its packet enters the tunnel at, and why that one: the node itself when it
    /// serves its domain, or when it is a hot standby sending its own traffic (its own tunnel, as its plan routes it);
    /// else its domain's serving endpoint over raven0. Null (with the FAIL hop) when the domain has none.
    /// </summary>
    private static (string Endpoint, string Why)? Outbound(TraceContext context, TraceEnd from, TraceEnd to, List<TraceHop> hops)
    {
        var status = context.Serving(from.Gateway!);
        var facts = context.Nodes.GetValueOrDefault(from.Node)?.Facts;
        var chosen = facts?.DataPlane?.Serving.GetValueOrDefault(from.Gateway!);
        var endpoint = chosen ?? status?.NodeName ?? "";
        if (endpoint.Length == 0)
        {
            hops.Add(new TraceHop("gateway", from.Gateway!, null, TraceHealth.Fail,
                $"{from.Gateway} has no active tunnel endpoint (status.activeEndpoints lists none): nothing leaves the domain over L3; see raven status for why none is elected", TraceHealth.Api));
            return null;
        }

        if (endpoint != from.Node && StandbyOwnTraffic.Find(context, from, to) is { } own)
        {
            var why = $"{from.Node} is a hot standby of {from.Gateway}: its own traffic (from its node address {own.Source}) uses its own tunnel "
                      + $"({own.Describe()}), not raven0 to the serving endpoint {endpoint}";
            var standbyHop = GatewayHop(context, from.Gateway!, from.Node, $"{RoleOf(hops[^1])}; {why}", standby: true) with { Address = hops[^1].Address };
            if (status?.NodeName == from.Node)
            {
                // Its own agent stands by for the endpoint the controller elected: a take-over (or a step-down) in progress.
                standbyHop = standbyHop with
                {
                    Health = TraceHealth.Worst(standbyHop.Health, TraceHealth.Warn), Basis = TraceHealth.Report,
                    Reason = $"{standbyHop.Reason}; but status.activeEndpoints lists {from.Node} first while its agent reports {endpoint} serving: a take-over in progress, or the controller has not caught up",
                };
                why += $" (its agent reports {endpoint} serving, though status.activeEndpoints lists {from.Node} first)";
            }

            hops[^1] = standbyHop;
            return (from.Node, why);
        }

        if (endpoint != from.Node)
        {
            var (health, why, egress) = chosen is null
                ? (TraceHealth.Ok, $"first of {from.Gateway}'s status.activeEndpoints (the node publishes no data-plane report)",
                    $"first of {from.Gateway}'s status.activeEndpoints ({from.Node} publishes no data-plane report)")
                : chosen == status?.NodeName ? (TraceHealth.Ok, "the serving endpoint its agent chose, as status.activeEndpoints lists first",
                    $"the serving endpoint {from.Node}'s agent chose, as status.activeEndpoints lists first")
                : (TraceHealth.Warn, $"its agent sends through {chosen}, but status.activeEndpoints lists {status?.NodeName ?? "none"} first: a take-over in progress, or the controller has not caught up",
                    $"{from.Node}'s agent sends through {chosen} (its data-plane report), though status.activeEndpoints lists {status?.NodeName ?? "none"} first");
            var standbyNote = StandbyOwnTraffic.WhyNot(context, from, endpoint) is { } note ? $"; {note}" : "";
            hops.Add(new TraceHop("vxlan", $"{from.Node} -> {endpoint}", null, health,
                $"member of {from.Gateway}: other domains' addresses go over raven0 (VXLAN, table 9027) to {endpoint}, {why}{standbyNote}", chosen is null ? TraceHealth.Api : TraceHealth.Report));
            hops.Add(GatewayHop(context, from.Gateway!, endpoint, $"serving tunnel endpoint of {from.Gateway}"));
            return (endpoint, egress);
        }

        // The serving endpoint itself: its packets enter the tunnel on this node, there is no raven0 hop.
        var self = $"{from.Node} is {from.Gateway}'s serving tunnel endpoint itself: the packet enters the tunnel here, no raven0 hop";
        var hop = GatewayHop(context, from.Gateway!, from.Node, $"{RoleOf(hops[^1])}; {self}") with { Address = hops[^1].Address };
        if (status?.NodeName != from.Node)
        {
            // Its own report says it serves while the controller lists another endpoint first: a take-over in progress.
            hops[^1] = hop with
            {
                Health = TraceHealth.Worst(hop.Health, TraceHealth.Warn), Basis = TraceHealth.Report,
                Reason = $"{hop.Reason}; but status.activeEndpoints lists {status?.NodeName ?? "none"} first: a take-over in progress, or the controller has not caught up",
            };
            return (from.Node, $"{from.Node}'s agent serves {from.Gateway} itself (its data-plane report), though status.activeEndpoints lists {status?.NodeName ?? "none"} first");
        }

        hops[^1] = hop;
        return (from.Node, $"{from.Node} serves {from.Gateway} itself");
    }

    /// <summary>The role part of a node hop's reason (before its state), to keep when the hop becomes a gateway hop.</summary>
    private static string RoleOf(TraceHop hop) => hop.Reason.Split("; ")[0];

    /// <param name="standby">A standby on its own traffic, or reached through its own tunnel: its agent claiming standby is expected, not a warning.</param>
    private static TraceHop GatewayHop(TraceContext context, string domain, string node, string role, bool standby = false)
    {
        var hop = NodeHops.Node(context, node, role) with { Kind = "gateway" };
        var claim = context.Nodes.GetValueOrDefault(node)?.Facts.DataPlane?.Claim;
        return claim switch
        {
            null => hop,
            { Serving: false } when !standby
                => hop with { Health = TraceHealth.Worst(hop.Health, TraceHealth.Warn), Reason = $"{hop.Reason}; but its agent claims {claim}: it may not carry the domain's traffic" },
            _ => hop with { Reason = $"{hop.Reason}; its agent claims {claim}" },
        };
    }

    /// <summary>A FAIL hop when the destination address is not among what the source gateway routes to that domain.</summary>
    private static TraceHop? Unrouted(TraceContext context, string sourceEndpoint, TraceEnd to)
    {
        if (to.Address is null || !IPAddress.TryParse(to.Address, out var address))
        {
            return new TraceHop("tunnel", $"{sourceEndpoint} -> {to.Gateway}", null, TraceHealth.Fail, $"{to.Pod ?? to.Node} has no address to route to yet", TraceHealth.Api);
        }

        var plan = context.PlanFor(sourceEndpoint);
        var path = plan.Paths.FirstOrDefault(p => p.Gateway == to.Gateway);
        if (path is null || path.Cidrs.Any(c => c.Contains(address)))
        {
            return null; // no path at all: the legs say why
        }

        var excluded = plan.Exclusions.FirstOrDefault(e => e.LeftOut.Any(c => c.Contains(address)));
        var why = excluded is not null
            ? $"{address} is left out of the tunnel: {to.Gateway}'s node {excluded.NodeName} announces it, and so does {excluded.CollidesWith}; L3 routes an address two domains claim to neither. Reach the node by name through the L7 proxy (raven trace ... {to.Node})"
            : to.Kind == TraceTargets.NodeKind && !context.Options.ForwardNodeIp
                ? $"node IPs do not enter the tunnel: forward-node-ip is off in {WellKnown.WorkingNamespace}/{WellKnown.RavenAgentConfig}"
                : $"{address} is not in what {to.Gateway} announces (status.nodes subnets{(context.Options.ForwardNodeIp ? " and node IPs" : "")}: {string.Join(", ", path.Cidrs)})";
        return new TraceHop("tunnel", $"{sourceEndpoint} -> {to.Gateway}", to.Address, TraceHealth.Fail, why, TraceHealth.Planned);
    }

    private static void Arrive(TraceContext context, TraceEnd to, List<TraceHop> hops, bool nodeHop, Words words)
    {
        if (nodeHop)
        {
            hops.Add(NodeHops.Node(context, to.Node, to.Kind == TraceTargets.PodKind ? $"the {words.To} pod's node" : $"{words.To} node",
                to.Kind == TraceTargets.PodKind ? null : to.Address));
        }

        if (to.Kind == TraceTargets.PodKind)
        {
            hops.Add(NodeHops.Pod(PodOf(context.Snapshot, to), to, $"{words.To} pod"));
        }
        else if (to.Kind == TraceTargets.AddressKind)
        {
            hops[^1] = hops[^1] with { Reason = hops[^1].Reason + $"; {to.Address} is inside its pod CIDR" };
        }
    }

    private static k8s.Models.V1Pod? PodOf(TraceSnapshot snapshot, TraceEnd end) =>
        snapshot.Pods.FirstOrDefault(p => TraceTargets.Name(p) == end.Pod);
}
