using System.Globalization;
using k8s.Models;
using Raven.Api.DataPlane;
using Raven.Controller.Runtime;
using Raven.Kube.Models;

namespace Raven.Cli.Status;

/// <summary>
/// Pure: the domain-to-domain path matrix from the connection reports (<see cref="ConnectionReport"/>) the serving
/// tunnel endpoints publish on their agent Leases. One row per ordered pair of domains with a serving endpoint, as the
/// source's endpoint sees it; problem rows first. Problems: no report from an active endpoint, a stale report, a
/// connection not up, a WireGuard handshake older than <see cref="HandshakeLimit"/>.
/// </summary>
public static class TunnelMatrix
{
    /// <summary>WireGuard re-handshakes every 2 minutes while packets flow (keepalives count); older means nothing came back.</summary>
    public static readonly TimeSpan HandshakeLimit = TimeSpan.FromMinutes(3);

    /// <summary>A report older than this (two refreshes plus a lease duration) is no longer being renewed.</summary>
    public static TimeSpan StaleAfter(TimeSpan leaseDuration) => TimeSpan.FromSeconds(2 * ConnectionReport.RefreshSeconds) + leaseDuration;

    public static IReadOnlyList<TunnelPairReport> Build(IReadOnlyList<GatewayReport> gateways, IReadOnlyList<V1Lease> leases, DateTimeOffset now, List<StatusProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(problems);
        var byNode = leases.Where(l => l.Metadata?.Name?.StartsWith(NodeFactsReader.AgentLeasePrefix, StringComparison.Ordinal) == true)
            .GroupBy(l => l.Metadata.Name[NodeFactsReader.AgentLeasePrefix.Length..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var active = gateways.Where(g => g.ServingTunnel is not null).ToList();
        var rows = new List<TunnelPairReport>();
        foreach (var source in active)
        {
            var node = source.ServingTunnel!;
            // An expired or missing Lease is already a problem of the node; its report says nothing current.
            if (!byNode.TryGetValue(node, out var lease) || NodeFactsReader.LeaseExpiry(lease) <= now)
            {
                continue;
            }

            var report = ConnectionReport.TryParse(lease.Metadata.Annotation(ConnectionReport.Annotation));
            if (report is null)
            {
                problems.Add(new StatusProblem(StatusProblem.Warning, $"node {node}",
                    $"active tunnel endpoint of {source.Name} publishes no connection report ({ConnectionReport.Annotation} on its Lease): agent too old, or it does not plan itself as the tunnel gateway"));
                continue;
            }

            var age = now - report.SampledAt;
            var stale = age > StaleAfter(NodeFactsReader.LeaseDuration(lease));
            if (stale)
            {
                problems.Add(new StatusProblem(StatusProblem.Warning, $"node {node}", $"connection report is {Seconds(age)} s old (stale): the agent renews its Lease but no longer refreshes the report"));
            }

            foreach (var target in active.Where(g => g.Name != source.Name))
            {
                rows.Add(Pair(source.Name, node, target, report, now, stale, problems));
            }
        }

        return [.. rows.Where(r => r.Problem is not null), .. rows.Where(r => r.Problem is null)];
    }

    private static TunnelPairReport Pair(string from, string fromNode, GatewayReport to, ConnectionReport report, DateTimeOffset now, bool stale, List<StatusProblem> problems)
    {
        var subject = $"tunnel {from} → {to.Name}";
        var domain = report.Domains.FirstOrDefault(d => d.Domain == to.Name);
        if (domain is null)
        {
            var missing = report.OmittedDomains > 0 ? null : $"{fromNode} reports no path to {to.Name}";
            if (missing is not null)
            {
                problems.Add(new StatusProblem(StatusProblem.Error, subject, $"{missing}: it does not plan a tunnel there (see its agent log: skipped peer, unreachable domain)"));
            }

            return new TunnelPairReport(from, fromNode, to.Name, "-", "", null, null, "-", null, [], Age(report, now), missing ?? "left out of a trimmed report");
        }

        var candidate = domain.Candidates.FirstOrDefault(c => c.Path == domain.Path);
        var connection = report.Connections.FirstOrDefault(c => c.Node == domain.Via);
        var handshakeAge = connection?.LastHandshake is { } at ? now - at : (TimeSpan?)null;
        string? problem = null;
        if (connection is null)
        {
            problem = report.OmittedConnections > 0 ? null : $"no connection to {Via(domain)} in {fromNode}'s report";
        }
        else if (connection.State != "up")
        {
            problem = $"connection {fromNode} → {domain.Via} is {connection.State}";
        }
        else if (report.Backend == "wireguard" && handshakeAge > HandshakeLimit)
        {
            problem = $"last handshake {fromNode} → {domain.Via} {Seconds(handshakeAge.Value)} s ago (over {HandshakeLimit.TotalMinutes:0} min)";
        }

        if (problem is not null)
        {
            problems.Add(new StatusProblem(stale ? StatusProblem.Warning : StatusProblem.Error, subject, problem + (stale ? " (as of a stale report)" : "")));
        }

        return new TunnelPairReport(from, fromNode, to.Name, domain.Path, domain.Via, candidate?.RttMilliseconds, candidate?.LossRatio, connection?.State ?? "-",
            handshakeAge is { } h ? Math.Round(h.TotalSeconds) : null, domain.ReadyStandbys, Age(report, now), problem);
    }

    private static string Via(DomainConnection domain) => domain.Via.Length == 0 ? "its next hop" : domain.Via;

    private static double Age(ConnectionReport report, DateTimeOffset now) => Math.Round((now - report.SampledAt).TotalSeconds);

    private static string Seconds(TimeSpan span) => Math.Round(span.TotalSeconds).ToString("0", CultureInfo.InvariantCulture);
}
