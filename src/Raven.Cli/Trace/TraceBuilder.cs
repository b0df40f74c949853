using System.Net;
using Raven.Api;

namespace Raven.Cli.Trace;

/// <summary>
/// Pure: (snapshot, SRC, DST) → the hops a packet from SRC to DST takes: pod → node → raven0 (VXLAN to its domain's
/// serving gateway) → gateway → tunnel (direct, or relayed via the central gateway) → remote gateway → raven0 → node
/// → pod. Within one node or one domain Raven carries nothing, and the trace says so. Each hop has a health and the
/// reason for the choice; a hop not measured by an agent says it is planned.
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
        var hops = new List<TraceHop>();
        if (from.Kind == TraceTargets.PodKind)
        {
            hops.Add(NodeHops.Pod(PodOf(snapshot, from), from, "source pod"));
        }

        hops.Add(NodeHops.Node(context, from.Node, from.Kind == TraceTargets.PodKind ? "the source pod's node (spec.nodeName)" : "source node",
            from.Kind == TraceTargets.PodKind ? null : from.Address));
        Between(context, from, to, hops);
        return new TraceReport(at, source, destination, from, to, hops);
    }

    private static void Between(TraceContext context, TraceEnd from, TraceEnd to, List<TraceHop> hops)
    {
        if (from.Node == to.Node)
        {
            hops[^1] = hops[^1] with { Reason = hops[^1].Reason + "; both ends are on this node: delivered by the node itself (its pod bridge or loopback), no Raven hop" };
            Arrive(context, to, hops, nodeHop: false);
            return;
        }

        if (from.Gateway is null || to.Gateway is null)
        {
            var outside = from.Gateway is null ? from.Node : to.Node;
            hops.Add(new TraceHop("l3", $"{from.Node} -> {to.Node}", null, TraceHealth.Fail,
                $"node {outside} is in no gateway (no {WellKnown.GatewayLabel} label): Raven routes nothing to or from it; label it into a domain, or reach it by name through the L7 proxy", TraceHealth.Api));
            return;
        }

        if (from.Gateway == to.Gateway)
        {
            hops.Add(new TraceHop("lan", $"{from.Node} -> {to.Node}", null, TraceHealth.Ok,
                $"same domain {from.Gateway}: routed directly over the domain's LAN (Raven tunnels only between domains)", TraceHealth.Api));
            Arrive(context, to, hops, nodeHop: true);
            return;
        }

        if (to.Kind == TraceTargets.NodeKind && L7Path.Needed(context, to) is { } why)
        {
            // By name the node is reachable through the L7 proxy where L3 cannot carry its address.
            hops.Add(new TraceHop("l3", $"{from.Gateway} -> {to.Gateway}", to.Address, TraceHealth.Ok, why + ": by name, through the L7 proxy", TraceHealth.Planned));
            L7Path.Add(context, from, to, hops);
            return;
        }

        if (!context.Switches.Tunnel)
        {
            hops.Add(new TraceHop("l3", $"{from.Gateway} -> {to.Gateway}", null, TraceHealth.Fail,
                $"L3 is off: {WellKnown.WorkingNamespace}/{WellKnown.RavenGlobalConfig} {WellKnown.EnableL3TunnelKey} is not \"true\", so no tunnel carries traffic between domains; "
                + $"set it to \"true\", or reach nodes by name through the L7 proxy ({WellKnown.EnableL7ProxyKey})", TraceHealth.Api));
            return;
        }

        if (!Outbound(context, from, hops, out var sourceEndpoint))
        {
            return;
        }

        if (context.Serving(to.Gateway) is null)
        {
            hops.Add(new TraceHop("gateway", to.Gateway, null, TraceHealth.Fail,
                $"{to.Gateway} has no active tunnel endpoint (status.activeEndpoints lists none): its addresses are unreachable over L3; see raven status for why none is elected", TraceHealth.Api));
            return;
        }

        if (Unrouted(context, sourceEndpoint, to) is { } unrouted)
        {
            hops.Add(unrouted);
            return;
        }

        var legs = TunnelLegs.Build(context, from.Gateway, sourceEndpoint, to.Gateway);
        hops.AddRange(legs.Hops);
        if (legs.RemoteEndpoint is not { } remote || legs.Hops.Any(h => h.Health == TraceHealth.Fail))
        {
            return;
        }

        hops.Add(GatewayHop(context, to.Gateway, remote));
        if (remote != to.Node)
        {
            hops.Add(new TraceHop("vxlan", $"{remote} -> {to.Node}", null, TraceHealth.Ok,
                $"{remote} forwards to its domain's member {to.Node} over raven0 (VXLAN), the route its agent sets for each member's pod CIDR and node IP", TraceHealth.Planned));
            Arrive(context, to, hops, nodeHop: true);
        }
        else
        {
            Arrive(context, to, hops, nodeHop: false);
        }
    }

    /// <summary>Source node → its domain's serving endpoint; false (with the FAIL hop) when the domain has none.</summary>
    private static bool Outbound(TraceContext context, TraceEnd from, List<TraceHop> hops, out string endpoint)
    {
        var status = context.Serving(from.Gateway!);
        var facts = context.Nodes.GetValueOrDefault(from.Node)?.Facts;
        var chosen = facts?.DataPlane?.Serving.GetValueOrDefault(from.Gateway!);
        endpoint = chosen ?? status?.NodeName ?? "";
        if (endpoint.Length == 0)
        {
            hops.Add(new TraceHop("gateway", from.Gateway!, null, TraceHealth.Fail,
                $"{from.Gateway} has no active tunnel endpoint (status.activeEndpoints lists none): nothing leaves the domain over L3; see raven status for why none is elected", TraceHealth.Api));
            return false;
        }

        if (endpoint != from.Node)
        {
            var (health, why) = chosen is null
                ? (TraceHealth.Ok, $"first of {from.Gateway}'s status.activeEndpoints (the node publishes no data-plane report)")
                : chosen == status?.NodeName ? (TraceHealth.Ok, $"the serving endpoint its agent chose, as status.activeEndpoints lists first")
                : (TraceHealth.Warn, $"its agent sends through {chosen}, but status.activeEndpoints lists {status?.NodeName ?? "none"} first: a take-over in progress, or the controller has not caught up");
            hops.Add(new TraceHop("vxlan", $"{from.Node} -> {endpoint}", null, health,
                $"member of {from.Gateway}: other domains' addresses go over raven0 (VXLAN, table 9027) to {endpoint}, {why}", chosen is null ? TraceHealth.Api : TraceHealth.Report));
        }

        hops.Add(GatewayHop(context, from.Gateway!, endpoint));
        return true;
    }

    private static TraceHop GatewayHop(TraceContext context, string domain, string node)
    {
        var hop = NodeHops.Node(context, node, $"serving tunnel endpoint of {domain}") with { Kind = "gateway" };
        var claim = context.Nodes.GetValueOrDefault(node)?.Facts.DataPlane?.Claim;
        return claim switch
        {
            null => hop,
            { Serving: false } => hop with { Health = TraceHealth.Warn, Reason = $"{hop.Reason}; but its agent claims {claim}: it may not carry the domain's traffic" },
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

    private static void Arrive(TraceContext context, TraceEnd to, List<TraceHop> hops, bool nodeHop)
    {
        if (nodeHop)
        {
            hops.Add(NodeHops.Node(context, to.Node, to.Kind == TraceTargets.PodKind ? "the destination pod's node" : "destination node",
                to.Kind == TraceTargets.PodKind ? null : to.Address));
        }

        if (to.Kind == TraceTargets.PodKind)
        {
            hops.Add(NodeHops.Pod(PodOf(context.Snapshot, to), to, "destination pod"));
        }
        else if (to.Kind == TraceTargets.AddressKind)
        {
            hops[^1] = hops[^1] with { Reason = hops[^1].Reason + $"; {to.Address} is inside its pod CIDR" };
        }
    }

    private static k8s.Models.V1Pod? PodOf(TraceSnapshot snapshot, TraceEnd end) =>
        snapshot.Pods.FirstOrDefault(p => TraceTargets.Name(p) == end.Pod);
}
