using System.Globalization;
using Raven.Agent.Planning;
using Raven.Api.DataPlane;

namespace Raven.Cli.Trace;

/// <summary>
/// The hops between two domains' gateways; the remote endpoint the last of them reaches (null: none) and why that
/// one; the path (<c>direct</c> or <c>relay:GATEWAY</c>), the relay's node, and what the path rests on.
/// </summary>
internal sealed record CrossDomainLegs(IReadOnlyList<TraceHop> Hops, string? RemoteEndpoint)
{
    public string? RemoteWhy { get; init; }
    public string? Path { get; init; }
    public string? Relay { get; init; }
    public string? PathWhy { get; init; }

    /// <summary>The remote endpoint is a hot standby the sender's plan binds the destination address to (its own node /32).</summary>
    public bool BoundStandby { get; init; }
}

/// <summary>
/// Pure: how the source domain's serving endpoint reaches another domain. Measured when its agent publishes a
/// connections report (the path in use, its cost, the connection's state); otherwise planned: what the agents'
/// planner derives from the Gateways (direct when either side can be dialled, else relayed via the central gateway
/// unless a punch succeeds, which only a measurement can tell), said as "planned, not measured". A tunnel endpoint's
/// own node address is bound to its own peer by the sender's plan, so a packet to a remote standby node goes to that
/// standby, not to its domain's serving endpoint.
/// </summary>
internal static class TunnelLegs
{
    public const string RelayPrefix = "relay:";

    /// <param name="sourceEndpoint">The tunnel endpoint the packet leaves by: the domain's serving one, or a standby for its own traffic.</param>
    /// <param name="address">The destination address (which peer the sender's plan binds it to).</param>
    public static CrossDomainLegs Build(TraceContext context, string sourceDomain, string sourceEndpoint, string destinationDomain, string? address)
    {
        var hops = new List<TraceHop>();
        var measured = context.Connections(sourceEndpoint)?.Domains.FirstOrDefault(d => d.Domain == destinationDomain);
        string path;
        if (measured is not null)
        {
            path = measured.Path;
        }
        else if (Planned(context, sourceEndpoint, destinationDomain, hops) is { } planned)
        {
            path = planned.Kind == PathKind.Direct ? "direct" : RelayPrefix + planned.Via;
        }
        else
        {
            return new CrossDomainLegs(hops, null);
        }

        var pathWhy = measured is null ? $"planned for {sourceEndpoint}, not measured" : $"as {sourceEndpoint}'s agent measures it: {measured.Reason ?? "in use"}";
        if (path == "direct")
        {
            var bound = Bound(context, sourceEndpoint, destinationDomain, address);
            var (remote, remoteWhy) = bound ?? RemoteEndpoint(context, sourceEndpoint, destinationDomain, measured?.Via);
            hops.Add(measured is null
                ? Leg(sourceEndpoint, remote, TraceHealth.Ok, $"direct: {DirectReason(context, sourceDomain, sourceEndpoint, destinationDomain, remote)} (planned, not measured: no connections report on {sourceEndpoint}'s Lease)", TraceHealth.Planned)
                : MeasuredLeg(context, sourceEndpoint, destinationDomain, remote, measured));
            return new CrossDomainLegs(hops, remote) { RemoteWhy = remoteWhy, Path = path, PathWhy = pathWhy, BoundStandby = bound is not null };
        }

        if (!path.StartsWith(RelayPrefix, StringComparison.Ordinal))
        {
            var (remote, remoteWhy) = RemoteEndpoint(context, sourceEndpoint, destinationDomain, measured?.Via);
            hops.Add(Leg(sourceEndpoint, remote, TraceHealth.Warn, $"its connections report names path \"{path}\", which this raven cannot read", TraceHealth.Report));
            return new CrossDomainLegs(hops, remote) { RemoteWhy = remoteWhy, Path = path, PathWhy = pathWhy };
        }

        var relayDomain = path[RelayPrefix.Length..];
        var (relay, _) = measured is null ? RemoteEndpoint(context, sourceEndpoint, relayDomain, null)
            : RemoteEndpoint(context, sourceEndpoint, relayDomain, context.Connections(sourceEndpoint)!.Connections.FirstOrDefault(c => c.Gateway == relayDomain)?.Node ?? measured.Via);
        var finalBound = Bound(context, relay, destinationDomain, address);
        var (final, finalWhy) = finalBound ?? RemoteEndpoint(context, sourceEndpoint, destinationDomain, measured?.Via);
        hops.Add(measured is null
            ? Leg(sourceEndpoint, relay, TraceHealth.Ok, $"relayed via {relayDomain}: {RelayReason(context, sourceDomain, sourceEndpoint, destinationDomain, final, relayDomain)}", TraceHealth.Planned)
            : MeasuredLeg(context, sourceEndpoint, relayDomain, relay, measured));
        var relayHop = NodeHops.Node(context, relay, $"{relayDomain}'s serving endpoint relays between domains that cannot reach each other directly (the central gateway: exposed, not under NAT)");
        hops.Add(relayHop with { Kind = "relay" });

        var onward = context.Connections(relay)?.Domains.FirstOrDefault(d => d.Domain == destinationDomain);
        if (onward is not null)
        {
            (final, finalWhy) = finalBound ?? RemoteEndpoint(context, relay, destinationDomain, onward.Via);
            hops.Add(MeasuredLeg(context, relay, destinationDomain, final, onward));
        }
        else if (context.PlanFor(relay).Paths.FirstOrDefault(p => p.Gateway == destinationDomain) is { Kind: PathKind.Direct })
        {
            hops.Add(Leg(relay, final, TraceHealth.Ok, $"direct from the relay: {DirectReason(context, relayDomain, relay, destinationDomain, final)} (planned, not measured)", TraceHealth.Planned));
        }
        else
        {
            hops.Add(Leg(relay, final, TraceHealth.Fail, $"{relay} plans no direct path to {destinationDomain}: {Why(context.PlanFor(relay), destinationDomain)}", TraceHealth.Planned));
        }

        return new CrossDomainLegs(hops, final) { RemoteWhy = finalWhy, Path = path, Relay = relay, PathWhy = pathWhy, BoundStandby = finalBound is not null };
    }

    /// <summary>The planned path, or null after adding the FAIL hop that says why there is none.</summary>
    private static DomainPath? Planned(TraceContext context, string sourceEndpoint, string destinationDomain, List<TraceHop> hops)
    {
        var plan = context.PlanFor(sourceEndpoint);
        var path = plan.Paths.FirstOrDefault(p => p.Gateway == destinationDomain);
        if (path is null)
        {
            hops.Add(new TraceHop("tunnel", $"{sourceEndpoint} -> {destinationDomain}", null, TraceHealth.Fail,
                $"the agents plan no path to {destinationDomain}: {Why(plan, destinationDomain)}", TraceHealth.Planned));
        }

        return path;
    }

    /// <summary>The planner's own words about a domain (or the central gateway it would need).</summary>
    private static string Why(NetworkPlan plan, string domain)
    {
        var said = plan.Diagnostics.Where(d => d.Subject == $"gateway/{domain}" || d.Message.Contains(domain, StringComparison.Ordinal)).Select(d => d.ToString()).ToList();
        return said.Count > 0 ? string.Join("; ", said) : $"no diagnostic (plan role {plan.Role})";
    }

    /// <summary>Which of the remote domain's active endpoints the packet reaches, and why: the one named, else the one this gateway's agent chose, else the first.</summary>
    private static (string Node, string Why) RemoteEndpoint(TraceContext context, string from, string domain, string? named)
    {
        if (named is { Length: > 0 } && context.ActiveTunnel(domain, named) is not null)
        {
            return (named, $"the endpoint {from}'s connections report names");
        }

        var chosen = context.Nodes.GetValueOrDefault(from)?.Facts.DataPlane?.Serving.GetValueOrDefault(domain);
        if (chosen is not null && context.ActiveTunnel(domain, chosen) is not null)
        {
            return (chosen, chosen == context.Serving(domain)?.NodeName
                ? $"the serving endpoint {from}'s agent chose, as status.activeEndpoints lists first"
                : $"the endpoint {from}'s agent chose (its data-plane report), though status.activeEndpoints lists {context.Serving(domain)?.NodeName} first");
        }

        return (context.Serving(domain)?.NodeName ?? domain, $"first of {domain}'s status.activeEndpoints");
    }

    /// <summary>
    /// The remote standby whose own peer the sender's plan binds the address to (its node /32): the packet goes to
    /// that standby over its own tunnel. Null when the address is bound to the domain's serving peer, or the backend
    /// routes no standby pairs.
    /// </summary>
    private static (string Node, string Why)? Bound(TraceContext context, string sender, string domain, string? address)
    {
        if (!context.Options.Tunnel.RoutesStandbyPairs || !System.Net.IPAddress.TryParse(address, out var ip) || context.PlanFor(sender).Tunnel is not { } tunnel)
        {
            return null;
        }

        var peer = tunnel.Peers.Where(p => p.GatewayName == domain)
            .Select(p => (Peer: p, Match: (p.Routed ?? p.RemoteCidrs).Where(c => c.Contains(ip)).Select(c => c.PrefixLength).DefaultIfEmpty(-1).Max()))
            .Where(m => m.Match >= 0).OrderByDescending(m => m.Match).Select(m => m.Peer).FirstOrDefault();
        var chosen = context.Nodes.GetValueOrDefault(sender)?.Facts.DataPlane?.Serving.GetValueOrDefault(domain);
        var serving = chosen is not null && context.ActiveTunnel(domain, chosen) is not null ? chosen : context.Serving(domain)?.NodeName;
        return peer is not null && peer.NodeName != serving && context.ActiveTunnel(domain, peer.NodeName) is not null
            ? (peer.NodeName, $"{sender}'s plan binds {address}, the node address of {domain}'s hot standby {peer.NodeName}, to that standby's own peer")
            : null;
    }

    private static TraceHop Leg(string from, string to, string health, string reason, string basis) =>
        new("tunnel", $"{from} -> {to}", null, health, reason, basis);

    /// <summary>The leg as the sending gateway's agent reports it: the path's state and cost, the connection's state and counters.</summary>
    private static TraceHop MeasuredLeg(TraceContext context, string from, string peerDomain, string peer, DomainConnection measured)
    {
        var report = context.Connections(from)!;
        var age = context.Snapshot.Cluster.ReadAt - report.SampledAt;
        var candidate = measured.Candidates.FirstOrDefault(c => c.Path == measured.Path);
        var connection = report.Connections.FirstOrDefault(c => c.Gateway == peerDomain && c.Node == peer)
                         ?? report.Connections.FirstOrDefault(c => c.Gateway == peerDomain);
        var health = candidate?.State == "down" || connection?.State == "down" ? TraceHealth.Fail
            : connection is null || connection.State != "up" ? TraceHealth.Warn : TraceHealth.Ok;
        var parts = new List<string> { $"{measured.Path} ({measured.Reason ?? "in use"}), measured by {from}'s agent {Seconds(age)} s ago" };
        if (candidate is not null)
        {
            parts.Add($"path {candidate.State}{Metrics(candidate)}");
        }

        parts.Add(connection is null
            ? $"no {report.Backend} connection to {peerDomain} reported"
            : $"{report.Backend} connection {connection.State}{(connection.LastHandshake is { } h ? $", last handshake {Seconds(context.Snapshot.Cluster.ReadAt - h)} s ago" : ", never handshaken")}, rx {connection.RxBytes} B, tx {connection.TxBytes} B, {connection.Reconnects} reconnect(s)");
        var others = measured.Candidates.Where(c => c.Path != measured.Path).Select(c => $"{c.Path} {c.State}{Metrics(c)}").ToList();
        if (others.Count > 0)
        {
            parts.Add("other candidates: " + string.Join(", ", others));
        }

        return Leg(from, connection?.Node ?? peer, health, string.Join("; ", parts), TraceHealth.Report);
    }

    private static string Metrics(PathCostReport c)
    {
        var numbers = new List<string>();
        if (c.RttMilliseconds is { } rtt) numbers.Add($"rtt {rtt.ToString("0.#", CultureInfo.InvariantCulture)} ms");
        if (c.LossRatio is { } loss) numbers.Add($"loss {(loss * 100).ToString("0.#", CultureInfo.InvariantCulture)} %");
        if (c.CostMilliseconds is { } cost) numbers.Add($"cost {cost.ToString("0.#", CultureInfo.InvariantCulture)} ms");
        return numbers.Count == 0 ? "" : " (" + string.Join(", ", numbers) + ")";
    }

    private static string DirectReason(TraceContext context, string localDomain, string localNode, string remoteDomain, string remoteNode)
    {
        var local = context.ActiveTunnel(localDomain, localNode) is { } l ? TraceContext.View(l) : null;
        var remote = context.ActiveTunnel(remoteDomain, remoteNode) is { } r ? TraceContext.View(r) : null;
        return remote is { IsDialable: true } ? $"{remoteDomain}'s endpoint {remoteNode} can be dialled at {Dial(remote)}"
            : local is { IsDialable: true } ? $"{localDomain}'s endpoint {localNode} can be dialled at {Dial(local)}, so {remoteDomain} dials in"
            : "a punched path (both sides under NAT)";
    }

    private static string RelayReason(TraceContext context, string localDomain, string localNode, string remoteDomain, string remoteNode, string relayDomain)
    {
        var reason = $"neither {localDomain} nor {remoteDomain} can be dialled (both under NAT, no forwarded port or full-cone NAT)";
        var local = context.ActiveTunnel(localDomain, localNode);
        var remote = context.ActiveTunnel(remoteDomain, remoteNode);
        if (local is null || remote is null)
        {
            return reason + " (planned, not measured)";
        }

        var (a, b) = (TraceContext.View(local), TraceContext.View(remote));
        var types = $"NAT types {a.NatType ?? "unknown"} and {b.NatType ?? "unknown"}";
        if (NatPairing.Reach(a, b) == PairReach.Punch && context.PlanFor(localNode).Role == PlanRole.StandbyGateway)
        {
            return reason + $"; their {types} would allow a punch, but only the serving endpoint punches: {localNode} stands by, so its own traffic stays relayed (planned, not measured)";
        }

        return reason + (NatPairing.Reach(a, b) == PairReach.Punch
            ? $"; their {types} allow a punched direct path, which {localNode} tries and takes once it measures cheaper than the relay through {relayDomain}: planned, not measured (no connections report on {localNode}'s Lease)"
            : $"; their {types} allow no punched path: planned, not measured (no connections report on {localNode}'s Lease)");
    }

    private static string Dial(TunnelEndpointView endpoint) =>
        $"{endpoint.PublicIp}:{(endpoint.PublicPort > 0 ? endpoint.PublicPort : endpoint.Port > 0 ? endpoint.Port : KernelNames.WireGuardListenPort)}"
        + (endpoint.UnderNat ? " (a forwarded port)" : " (not under NAT)");

    private static string Seconds(TimeSpan span) => Math.Max(0, Math.Round(span.TotalSeconds)).ToString("0", CultureInfo.InvariantCulture);
}
