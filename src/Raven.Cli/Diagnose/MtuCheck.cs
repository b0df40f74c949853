using System.Globalization;
using Raven.Agent.Engine;
using Raven.Api;
using Raven.Api.DataPlane;

namespace Raven.Cli.Diagnose;

/// <summary>
/// MTU consistency, from what each agent publishes in its data-plane report (<see cref="MtuReport"/>: the MTUs it plans
/// with and those its node's kernel has). A wire smaller than the planned underlay MTU fragments or drops every full-size
/// VXLAN and tunnel packet; raven0 or the tunnel device below the route MTU drops what the routes let through; route
/// MTUs that differ between nodes make the path MTU depend on direction. Only current leases count (an expired one may
/// describe a node that has changed since). Findings are grouped by their numbers, so a thousand nodes with the same
/// problem make one line.
/// </summary>
internal static class MtuCheck
{
    public const string Name = "mtu";

    /// <summary>Nodes named in one line before the rest are counted.</summary>
    private const int NamesShown = 5;

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var current = context.Nodes.Select(n => n.Metadata.Name)
            .Select(n => (Node: n, Report: context.Facts.GetValueOrDefault(n)?.DataPlane)).Where(r => r.Report is not null).ToList();
        var reports = current.Where(r => r.Report!.Mtu is not null).Select(r => (r.Node, Mtu: r.Report!.Mtu!)).ToList();
        var silent = current.Where(r => r.Report!.Mtu is null).Select(r => r.Node).ToList();
        var cfg = $"{WellKnown.WorkingNamespace}/{WellKnown.RavenAgentConfig}";
        if (reports.Count == 0)
        {
            // A PASS here would claim a consistency nobody verified. With some nodes reporting (an upgrade under way) the
            // rest is only noted below: the reporting nodes already show whether the cluster's MTUs agree.
            return [CheckResult.Warning(Name, current.Count == 0
                    ? "no current agent lease carries a data-plane report: MTUs cannot be checked"
                    : $"no agent reports its MTUs ({current.Count} agent(s) too old to publish {DataPlaneReport.Annotation} mtu): MTUs cannot be checked",
                current.Count == 0 ? "see agent-leases above: the agents must run and renew their Leases" : "upgrade raven-agent (kubectl -n kube-system rollout restart ds/raven-agent-ds after updating its image)")];
        }

        var findings = new List<CheckResult>();
        var smallest = reports.Where(r => r.Mtu.UnderlayDeviceMtu is not null).Select(r => r.Mtu.UnderlayDeviceMtu!.Value).DefaultIfEmpty().Min();
        foreach (var group in reports.Where(r => r.Mtu.UnderlayDeviceMtu < r.Mtu.PlannedUnderlayMtu)
                     .GroupBy(r => (Observed: r.Mtu.UnderlayDeviceMtu!.Value, Planned: r.Mtu.PlannedUnderlayMtu)).OrderBy(g => g.Key.Observed))
        {
            var (observed, planned) = group.Key;
            findings.Add(CheckResult.Failed(Name,
                $"{Subject(group.Select(r => $"{r.Node} ({r.Mtu.UnderlayDevice})").ToList())}: underlay device MTU {observed}, below the underlay MTU {planned} " +
                "the agent plans with: full-size VXLAN and tunnel packets are fragmented or dropped",
                smallest >= AgentOptionsParser.MinUnderlayMtu
                    ? $"set {AgentOptionsParser.UnderlayMtuConfigKey}: \"{smallest.ToString(CultureInfo.InvariantCulture)}\" in {cfg} (the smallest underlay MTU observed; agents re-plan without a restart), or raise the devices' MTU to {planned}"
                    : $"raise the devices' MTU to at least {AgentOptionsParser.MinUnderlayMtu} ({AgentOptionsParser.UnderlayMtuConfigKey} in {cfg} goes no lower), better to {planned}"));
        }

        DeviceBelowRoute(findings, reports, r => r.VxlanDeviceMtu is { } m ? ("raven0", m) : null);
        DeviceBelowRoute(findings, reports, r => r.TunnelDeviceMtu is { } m ? (r.TunnelDevice ?? "tunnel device", m) : null);

        var byRoute = reports.Where(r => r.Mtu.PlannedRouteMtu is not null).GroupBy(r => r.Mtu.PlannedRouteMtu!.Value)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
        var note = Note(silent, reports);
        if (byRoute.Count > 1)
        {
            findings.Add(CheckResult.Warning(Name,
                "route MTUs differ between nodes: " + string.Join("; ", byRoute.Select(g => $"{g.Key} on {Subject(g.Select(r => r.Node).ToList())}")) +
                ": the path MTU depends on direction and domain (TCP is clamped to it, larger UDP datagrams fragment)" + note,
                $"give all agents the same {AgentOptionsParser.UnderlayMtuConfigKey} in {cfg} (a per-node --{AgentOptionsParser.UnderlayMtuConfigKey} flag overrides it) " +
                "and the same vpn-driver; IPv6 underlays carry more overhead, so a mixed IPv4/IPv6 cluster differs by design"));
        }

        if (findings.Count == 0)
        {
            var routes = byRoute.Count == 0 ? "no L3 routes planned" : $"route MTU {byRoute[0].Key}";
            var devices = smallest > 0 ? $"underlay devices ≥ {smallest}" : "no underlay device found for the node IPs";
            return [CheckResult.Passed(Name, $"{reports.Count} node(s) report {routes}; {devices}{note}")];
        }

        return findings;
    }

    /// <summary>A device whose kernel MTU is below the route MTU planned on the same node (same pass, so both agree in time).</summary>
    private static void DeviceBelowRoute(List<CheckResult> findings, List<(string Node, MtuReport Mtu)> reports,
        Func<MtuReport, (string Device, int Mtu)?> device)
    {
        var low = reports.Select(r => (r.Node, r.Mtu.PlannedRouteMtu, Device: device(r.Mtu)))
            .Where(r => r.PlannedRouteMtu is not null && r.Device is { } d && d.Mtu < r.PlannedRouteMtu)
            .GroupBy(r => (Observed: r.Device!.Value.Mtu, Route: r.PlannedRouteMtu!.Value)).OrderBy(g => g.Key.Observed);
        foreach (var group in low)
        {
            var nodes = group.Select(r => $"{r.Node} ({r.Device!.Value.Device})").ToList();
            findings.Add(CheckResult.Failed(Name,
                $"{Subject(nodes)}: device MTU {group.Key.Observed}, below the planned route MTU {group.Key.Route}: packets the routes allow are dropped there",
                $"the agent sets this MTU on every pass: something else lowered it, or the agent could not; read the agent's log on {group.First().Node} " +
                $"(kubectl -n {WellKnown.WorkingNamespace} logs the raven-agent pod there) and restart it"));
        }
    }

    private static string Note(List<string> silent, List<(string Node, MtuReport Mtu)> reports)
    {
        var parts = new List<string>();
        if (silent.Count > 0)
        {
            parts.Add($"{silent.Count} older agent(s) report no MTUs: {Names(silent)}");
        }

        var unfound = reports.Where(r => r.Mtu.UnderlayDevice is null).Select(r => r.Node).ToList();
        if (unfound.Count > 0)
        {
            parts.Add($"{unfound.Count} node(s) with no device holding their node IP, underlay not checked: {Names(unfound)}");
        }

        return parts.Count == 0 ? "" : " (" + string.Join("; ", parts) + ")";
    }

    /// <summary>"node a" for one, "3 node(s) a, b, c" for a few, the first <see cref="NamesShown"/> and a count for many.</summary>
    private static string Subject(IReadOnlyList<string> nodes) => nodes.Count == 1 ? $"node {nodes[0]}" : $"{nodes.Count} nodes {Names(nodes)}";

    private static string Names(IReadOnlyList<string> nodes) =>
        nodes.Count <= NamesShown ? string.Join(", ", nodes) : string.Join(", ", nodes.Take(NamesShown)) + $" and {nodes.Count - NamesShown} more";
}
