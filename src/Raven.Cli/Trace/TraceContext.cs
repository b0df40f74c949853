using System.Net;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Cli.Status;
using Raven.Controller.Election;
using Raven.Controller.Runtime;

namespace Raven.Cli.Trace;

/// <summary>
/// The snapshot as the trace reads it: nodes judged as `raven status` judges them, Gateways by name, raven-cfg's
/// switches, and the agents' own planner with the options raven-agent-config gives them, so a hop that is not measured
/// is what the agents would plan, not a second opinion.
/// </summary>
internal sealed class TraceContext
{
    private readonly Dictionary<string, NetworkPlan> _plans = new(StringComparer.Ordinal);

    public TraceContext(TraceSnapshot snapshot)
    {
        Snapshot = snapshot;
        var now = snapshot.Cluster.ReadAt;
        Leases = snapshot.Cluster.AgentLeases.GroupBy(l => l.Metadata.Name[NodeFactsReader.AgentLeasePrefix.Length..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Nodes = snapshot.Cluster.Nodes.Where(n => !string.IsNullOrEmpty(n.Metadata?.Name)).GroupBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => NodeView.Read(g.First(), Leases.GetValueOrDefault(g.Key), now), StringComparer.Ordinal);
        Gateways = snapshot.Cluster.Gateways.GroupBy(g => g.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Switches = FeatureSwitches.FromConfigMap(snapshot.Cluster.RavenCfg);
        var config = snapshot.AgentConfig ?? new Dictionary<string, string>();
        var driver = config.GetValueOrDefault(WellKnown.VpnDriverConfigKey) is { Length: > 0 } d ? d.Trim() : Agent.Engine.AgentOptionsParser.WireGuardDriver;
        Options = new PlannerOptions
        {
            ForwardNodeIp = !bool.TryParse(config.GetValueOrDefault("forward-node-ip"), out var forward) || forward,
            Tunnel = (TunnelBackends.Find(driver) ?? TunnelBackends.Get(Agent.Engine.AgentOptionsParser.WireGuardDriver)).Profile,
            AllowUntrustedUnderlay = bool.TryParse(config.GetValueOrDefault(Agent.Engine.AgentOptionsParser.VxlanAllowUntrustedUnderlay), out var allow) && allow,
        };
    }

    public TraceSnapshot Snapshot { get; }

    public IReadOnlyDictionary<string, NodeView> Nodes { get; }

    public IReadOnlyDictionary<string, k8s.Models.V1Lease> Leases { get; }

    public IReadOnlyDictionary<string, Gateway> Gateways { get; }

    public FeatureSwitches Switches { get; }

    public PlannerOptions Options { get; }

    /// <summary>The tunnel endpoints of status.activeEndpoints, in order (the first serves).</summary>
    public IReadOnlyList<Endpoint> ActiveTunnels(string gateway) =>
        Gateways.TryGetValue(gateway, out var g)
            ? [.. (g.Status.ActiveEndpoints ?? []).Where(e => e.Type == WellKnown.EndpointTypeTunnel && !string.IsNullOrEmpty(e.NodeName)).DistinctBy(e => e.NodeName)]
            : [];

    /// <summary>The serving tunnel endpoint as status lists it; null when the domain has none.</summary>
    public Endpoint? Serving(string gateway) => ActiveTunnels(gateway).FirstOrDefault();

    /// <summary>The endpoint object of a node in a domain's active tunnels (publicIP, NAT), or null.</summary>
    public Endpoint? ActiveTunnel(string gateway, string node) => ActiveTunnels(gateway).FirstOrDefault(e => e.NodeName == node);

    /// <summary>The connections report on a node's current agent Lease; null when absent, unreadable or the Lease expired.</summary>
    public ConnectionReport? Connections(string node) =>
        Nodes.TryGetValue(node, out var view) && view.Facts.AgentAlive == true && Leases.TryGetValue(node, out var lease)
            ? ConnectionReport.TryParse(lease.Metadata.Annotations is { } notes && notes.TryGetValue(ConnectionReport.Annotation, out var text) ? text : null)
            : null;

    /// <summary>What the agents' planner gives a node (memoized): its paths, exclusions and diagnostics.</summary>
    public NetworkPlan PlanFor(string node)
    {
        if (!_plans.TryGetValue(node, out var plan))
        {
            var view = Nodes.GetValueOrDefault(node);
            var ip = view is not null && IPAddress.TryParse(view.Facts.InternalIp, out var parsed) ? parsed : null;
            var local = new LocalNode(node, ip)
            {
                ServingGateways = view?.Facts.DataPlane?.Serving ?? new Dictionary<string, string>(StringComparer.Ordinal),
            };
            plan = new Planner().Plan(Snapshot.Cluster.Gateways, local, Options);
            _plans[node] = plan;
        }

        return plan;
    }

    /// <summary>The endpoint as the planner reads it (public address, ports, NAT), for the reasons of a planned path.</summary>
    public static TunnelEndpointView View(Endpoint endpoint) => new(endpoint.NodeName,
        IPAddress.TryParse(endpoint.PublicIP, out var ip) ? ip : null, endpoint.Port, endpoint.UnderNAT, endpoint.PublicPort, endpoint.NATType,
        EndpointConfig.From(endpoint.Config));
}
