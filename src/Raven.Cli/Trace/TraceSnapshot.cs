using k8s.Models;
using Raven.Cli.Status;

namespace Raven.Cli.Trace;

/// <summary>
/// What `raven trace` reads: the status snapshot (Gateways, Nodes, agent Leases with their data-plane and connections
/// reports, raven-cfg), the Pods that can be an end of the trace, and kube-system/raven-agent-config (null when
/// absent), whose vpn-driver and forward-node-ip decide the agents' plan.
/// </summary>
public sealed record TraceSnapshot(ClusterSnapshot Cluster, IReadOnlyList<V1Pod> Pods, IReadOnlyDictionary<string, string>? AgentConfig);
