using System.Text;
using System.Text.Json;
using Raven.Api.Json;
using Raven.Api.DataPlane;

namespace Raven.Agent.Engine;

/// <summary>
/// Pure: keeps a <see cref="ConnectionReport"/> within <see cref="ConnectionReport.MaxBytes"/>. What an operator looks
/// for goes in first (connections not up, domains whose path is not up or has no via), then the healthy rest in name
/// order until the budget is spent; the counts of what was left out are published, so a reader never mistakes a
/// trimmed report for a complete one.
/// </summary>
public static class ConnectionReportBudget
{
    public static ConnectionReport Fit(ConnectionReport report, int maxBytes = ConnectionReport.MaxBytes)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (Bytes(report.Serialize()) <= maxBytes)
        {
            return report;
        }

        // Room for the envelope and the two omitted counts; each item costs its own text plus a separating comma.
        var left = maxBytes - Bytes((report with { Domains = [], Connections = [], OmittedDomains = int.MaxValue, OmittedConnections = int.MaxValue }).Serialize());
        var kept = new HashSet<object>(ReferenceEqualityComparer.Instance);
        // Problems first; then each healthy domain together with its connections, so what is shown is whole.
        var troubled = report.Connections.Where(c => c.State != "up").Cast<object>().Concat(report.Domains.Where(Troubled));
        var up = report.Connections.Where(c => c.State == "up").ToLookup(c => c.Gateway, StringComparer.Ordinal);
        var reported = report.Domains.Select(d => d.Domain).ToHashSet(StringComparer.Ordinal);
        var healthy = report.Domains.Where(d => !Troubled(d))
            .Select(d => up[d.Domain].Cast<object>().Prepend(d).ToList())
            .Concat(up.Where(g => !reported.Contains(g.Key)).SelectMany(g => g).Select(c => new List<object> { c }));
        foreach (var group in troubled.Select(item => new List<object> { item }).Concat(healthy))
        {
            var cost = group.Sum(item => Bytes(JsonSerializer.Serialize(item, item.GetType(), RavenJson.Options)) + 1);
            if (cost > left)
            {
                continue;
            }

            left -= cost;
            kept.UnionWith(group);
        }

        var domains = report.Domains.Where(kept.Contains).ToList();
        var connections = report.Connections.Where(kept.Contains).ToList();
        return report with
        {
            Domains = domains,
            Connections = connections,
            OmittedDomains = report.OmittedDomains + report.Domains.Count - domains.Count,
            OmittedConnections = report.OmittedConnections + report.Connections.Count - connections.Count,
        };
    }

    private static bool Troubled(DomainConnection domain) =>
        domain.Via.Length == 0 || domain.Candidates.FirstOrDefault(c => c.Path == domain.Path) is { State: not "up" };

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);
}
