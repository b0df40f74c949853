using System.Globalization;
using Raven.Agent.Planning;
using Raven.Api.DataPlane;

namespace Raven.Cli.Trace;

/// <summary>The hops between two domains' gateways, and the remote endpoint the last of them reaches (null: none).</summary>
internal sealed record CrossDomainLegs(IReadOnlyList<TraceHop> Hops, string? RemoteEndpoint);

/// <summary>
/// Pure: how the source domain's serving endpoint reaches another domain. Measured when its agent publishes a
/// connections report (the path in use, its cost, the connection's state); otherwise planned: what the agents'
/// planner derives from the Gateways (direct when either side can be dialled, else relayed via the central gateway
/// unless a punch succeeds, which only a measurement can tell), said as "planned, not measured".
/// </summary>
internal static class TunnelLegs
{
    private const string RelayPrefix = "relay:";

    public static CrossDomainLegs Build(TraceContext context, string sourceDomain, string sourceEndpoint, string destinationDomain)
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

        var remote = RemoteEndpoint(context, sourceEndpoint, destinationDomain, measured?.Via);
        if (path == "direct")
        {
            hops.Add(measured is null
                ? Leg(sourceEndpoint, remote, TraceHealth.Ok, $"direct: {DirectReason(context, sourceDomain, sourceEndpoint, destinationDomain, remote)} (planned, not measured: no connections report on {sourceEndpoint}'s Lease)", TraceHealth.Planned)
                : MeasuredLeg(context, sourceEndpoint, destinationDomain, remote, measured));
            return new CrossDomainLegs(hops, remote);
        }

        if (!path.StartsWith(RelayPrefix, StringComparison.Ordinal))
        {
            hops.Add(Leg(sourceEndpoint, remote, TraceHealth.Warn, $"its connections report names path \"{path}\", which this raven cannot read", TraceHealth.Report));
            return new CrossDomainLegs(hops, remote);
        }

        var relayDomain = path[RelayPrefix.Length..];
        var relay = measured is null ? RemoteEndpoint(context, sourceEndpoint, relayDomain, null)
            : RemoteEndpoint(context, sourceEndpoint, relayDomain, context.Connections(sourceEndpoint)!.Connections.FirstOrDefault(c => c.Gateway == relayDomain)?.Node ?? measured.Via);
        hops.Add(measured is null
            ? Leg(sourceEndpoint, relay, TraceHealth.Ok, $"relayed via {relayDomain}: {RelayReason(context, sourceDomain, sourceEndpoint, destinationDomain, remote, relayDomain)}", TraceHealth.Planned)
            : MeasuredLeg(context, sourceEndpoint, relayDomain, relay, measured));
        var relayHop = NodeHops.Node(context, relay, $"{relayDomain}'s serving endpoint relays between domains that cannot reach each other directly (the central gateway: exposed, not under NAT)");
        hops.Add(relayHop with { Kind = "relay" });

        var onward = context.Connections(relay)?.Domains.FirstOrDefault(d => d.Domain == destinationDomain);
        if (onward is not null)
        {
            hops.Add(MeasuredLeg(context, relay, destinationDomain, RemoteEndpoint(context, relay, destinationDomain, onward.Via), onward));
        }
        else if (context.PlanFor(relay).Paths.FirstOrDefault(p => p.Gateway == destinationDomain) is { Kind: PathKind.Direct })
        {
            hops.Add(Leg(relay, remote, TraceHealth.Ok, $"direct from the relay: {DirectReason(context, relayDomain, relay, destinationDomain, remote)} (planned, not measured)", TraceHealth.Planned));
        }
        else
        {
            hops.Add(Leg(relay, remote, TraceHealth.Fail, $"{relay} plans no direct path to {destinationDomain}: {Why(context.PlanFor(relay), destinationDomain)}", TraceHealth.Planned));
        }

        return new CrossDomainLegs(hops, remote);
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

    /// <summary>Which of the remote domain's active endpoints the packet reaches: the one named, else the one this gateway's agent chose, else the first.</summary>
    private static string RemoteEndpoint(TraceContext context, string from, string domain, string? named)
    {
        if (named is { Length: > 0 } && context.ActiveTunnel(domain, named) is not null)
        {
            return named;
        }

        var chosen = context.Nodes.GetValueOrDefault(from)?.Facts.DataPlane?.Serving.GetValueOrDefault(domain);
        return chosen is not null && context.ActiveTunnel(domain, chosen) is not null ? chosen : context.Serving(domain)?.NodeName ?? domain;
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
        return reason + (NatPairing.Reach(a, b) == PairReach.Punch
            ? $"; their {types} allow a punched direct path, which {localNode} tries and takes once it measures cheaper than the relay through {relayDomain}: planned, not measured (no connections report on {localNode}'s Lease)"
            : $"; their {types} allow no punched path: planned, not measured (no connections report on {localNode}'s Lease)");
    }

    private static string Dial(TunnelEndpointView endpoint) =>
        $"{endpoint.PublicIp}:{(endpoint.PublicPort > 0 ? endpoint.PublicPort : endpoint.Port > 0 ? endpoint.Port : KernelNames.WireGuardListenPort)}"
        + (endpoint.UnderNat ? " (a forwarded port)" : " (not under NAT)");

    private static string Seconds(TimeSpan span) => Math.Max(0, Math.Round(span.TotalSeconds)).ToString("0", CultureInfo.InvariantCulture);
}
