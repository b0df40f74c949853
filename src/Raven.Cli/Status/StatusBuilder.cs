using Raven.Api;
using Raven.Controller.Election;
using Raven.Controller.Runtime;

namespace Raven.Cli.Status;

/// <summary>
/// Pure: from a <see cref="ClusterSnapshot"/> to the <see cref="StatusReport"/> an operator reads. Nodes are judged
/// the way the controller judges them (<see cref="NodeFactsReader"/>: Ready, InternalIP, agent Lease, data-plane
/// report), and the data plane's claims the way the controller follows them (<see cref="DataPlaneFollower"/>), so
/// the report says what the controller would see, not a second opinion.
/// </summary>
public static class StatusBuilder
{
    public static StatusReport Build(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var now = snapshot.ReadAt;
        var switches = FeatureSwitches.FromConfigMap(snapshot.RavenCfg);
        var problems = new List<StatusProblem>();
        ConfigProblems(snapshot, switches, problems);

        var leases = snapshot.AgentLeases.GroupBy(l => l.Metadata.Name[NodeFactsReader.AgentLeasePrefix.Length..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var nodes = snapshot.Nodes.Where(n => !string.IsNullOrEmpty(n.Metadata?.Name))
            .OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .Select(n => NodeView.Read(n, leases.GetValueOrDefault(n.Metadata.Name), now))
            .ToDictionary(v => v.Facts.Name, StringComparer.Ordinal);
        var gatewayNames = snapshot.Gateways.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);

        var gateways = snapshot.Gateways.OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => GatewayStatusReader.Read(g, nodes, switches, problems)).ToList();
        var outside = new List<NodeReport>();
        foreach (var node in nodes.Values.Where(n => n.Gateway is null || !gatewayNames.Contains(n.Gateway)))
        {
            problems.Add(node.Gateway is null
                ? new StatusProblem(StatusProblem.Warning, $"node {node.Facts.Name}", $"in no gateway (no {WellKnown.GatewayLabel} label): no L3 tunnel, other domains reach it through the L7 proxy only")
                : new StatusProblem(StatusProblem.Error, $"node {node.Facts.Name}", $"labelled {WellKnown.GatewayLabel}={node.Gateway}, but there is no Gateway {node.Gateway}"));
            NodeProblems(node, activeEndpoint: false, problems);
            outside.Add(node.ToReport(null));
        }

        if (switches.Proxy && gateways.Any(g => g.ExposeType.Length == 0 && g.ProxyEndpoints.Any(p => p.Role == EndpointRoles.Active))
            && !gateways.Any(g => g.ExposeType.Length > 0))
        {
            problems.Add(new StatusProblem(StatusProblem.Warning, "cluster", "no exposed Gateway (spec.exposeType PublicIP or LoadBalancer): the L7 proxy clients have no proxy server to dial"));
        }

        if (!snapshot.GatewaysServed)
        {
            problems.Add(new StatusProblem(StatusProblem.Error, "cluster",
                "the API server serves no raven.openyurt.io/v1beta1 Gateways (CRD missing or not serving v1beta1): install it with kubectl apply -k deploy/crds"));
        }
        else if (snapshot.Gateways.Count == 0)
        {
            problems.Add(new StatusProblem(StatusProblem.Warning, "cluster", "no Gateways (raven.openyurt.io/v1beta1): no domain is connected"));
        }

        var tunnels = switches.Tunnel ? TunnelMatrix.Build(gateways, snapshot.AgentLeases, now, problems) : [];

        // Errors first, each group in the order found (gateway by gateway, node by node).
        var ordered = problems.Where(p => p.Severity == StatusProblem.Error).Concat(problems.Where(p => p.Severity != StatusProblem.Error)).ToList();
        return new StatusReport(now, switches.Tunnel, switches.Proxy, ordered, gateways, outside) { Tunnels = tunnels };
    }

    /// <summary>Readiness, address and agent Lease of one node; errors when the node carries an active endpoint.</summary>
    internal static void NodeProblems(NodeView node, bool activeEndpoint, List<StatusProblem> problems)
    {
        var subject = $"node {node.Facts.Name}";
        var severity = activeEndpoint ? StatusProblem.Error : StatusProblem.Warning;
        var role = activeEndpoint ? " (an active endpoint)" : "";
        if (!node.Facts.Ready)
        {
            problems.Add(new StatusProblem(severity, subject, $"NotReady{role}"));
        }

        switch (node.Facts.AgentAlive)
        {
            case null:
                problems.Add(new StatusProblem(severity, subject, $"no agent Lease {WellKnown.WorkingNamespace}/{NodeFactsReader.AgentLeasePrefix}{node.Facts.Name}: is raven agent running there?{role}"));
                break;
            case false:
                problems.Add(new StatusProblem(severity, subject, $"agent Lease expired{Ago(node.ExpiredFor)}: the agent stopped renewing it{role}"));
                break;
        }

        foreach (var field in node.Facts.Problems)
        {
            problems.Add(new StatusProblem(StatusProblem.Error, subject, $"{field.Field}: {field.Message}"));
        }
    }

    private static void ConfigProblems(ClusterSnapshot snapshot, FeatureSwitches switches, List<StatusProblem> problems)
    {
        const string subject = WellKnown.WorkingNamespace + "/" + WellKnown.RavenGlobalConfig;
        if (snapshot.RavenCfg is null)
        {
            problems.Add(new StatusProblem(StatusProblem.Error, subject, $"missing: the controller elects no endpoints until it exists ({WellKnown.EnableL3TunnelKey}, {WellKnown.EnableL7ProxyKey}: \"true\")"));
        }
        else if (!switches.Tunnel && !switches.Proxy)
        {
            problems.Add(new StatusProblem(StatusProblem.Warning, subject, $"{WellKnown.EnableL3TunnelKey} and {WellKnown.EnableL7ProxyKey} are both off: no endpoint is elected"));
        }
    }

    private static string Ago(TimeSpan? span) => span is { } s ? $" {Seconds(s)} s ago" : "";

    internal static string Seconds(TimeSpan span) => Math.Round(span.TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}
