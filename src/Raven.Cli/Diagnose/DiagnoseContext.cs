using k8s.Models;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;
using Raven.Controller.Runtime;

namespace Raven.Cli.Diagnose;

/// <summary>The snapshot indexed once for all checks: nodes' facts (as the controller reads them), leases and gateways by name.</summary>
internal sealed class DiagnoseContext
{
    public DiagnoseContext(DiagnoseSnapshot snapshot, DateTimeOffset now)
    {
        Snapshot = snapshot;
        Now = now;
        Switches = FeatureSwitches.FromConfigMap(snapshot.Cluster.RavenCfg);
        Gateways = snapshot.Cluster.Gateways.Where(g => g.Name.Length > 0).GroupBy(g => g.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Leases = snapshot.Cluster.AgentLeases.GroupBy(l => l.Metadata.Name[NodeFactsReader.AgentLeasePrefix.Length..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Nodes = [.. snapshot.Cluster.Nodes.OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal)];
        NodesByName = Nodes.GroupBy(n => n.Metadata?.Name ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        // A one-shot reader has no API outage to allow for, so an expired lease counts as expired (as in `raven status`).
        Facts = Nodes.ToDictionary(n => n.Metadata?.Name ?? "",
            n => NodeFactsReader.Read(n, Leases.GetValueOrDefault(n.Metadata?.Name ?? ""), snapshot.CalicoBlocks, now, DateTimeOffset.MinValue), StringComparer.Ordinal);
        EndpointNodes = snapshot.Cluster.Gateways.SelectMany(g => g.Spec?.Endpoints ?? []).Select(e => e.NodeName ?? "").ToHashSet(StringComparer.Ordinal);
    }

    public DiagnoseSnapshot Snapshot { get; }

    public DateTimeOffset Now { get; }

    public FeatureSwitches Switches { get; }

    public IReadOnlyDictionary<string, Gateway> Gateways { get; }

    public IReadOnlyDictionary<string, V1Lease> Leases { get; }

    /// <summary>Sorted by name, so results come in a stable order.</summary>
    public IReadOnlyList<V1Node> Nodes { get; }

    public IReadOnlyDictionary<string, V1Node> NodesByName { get; }

    public IReadOnlyDictionary<string, NodeFacts> Facts { get; }

    /// <summary>Nodes some Gateway lists in spec.endpoints: a problem on them breaks a domain, not just one node.</summary>
    public IReadOnlySet<string> EndpointNodes { get; }

    public IEnumerable<Gateway> SortedGateways => Gateways.Values.OrderBy(g => g.Name, StringComparer.Ordinal);

    /// <summary>The gateway a node is labelled for, when that Gateway exists: the node's domain.</summary>
    public string? DomainOf(V1Node node) => NodeFactsReader.GatewayOf(node) is { } g && Gateways.ContainsKey(g) ? g : null;
}
