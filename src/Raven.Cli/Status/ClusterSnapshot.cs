using k8s.Models;
using Raven.Api.V1Beta1;

namespace Raven.Cli.Status;

/// <summary>
/// What an operator's tools read from the cluster at one moment, as the API returned it: Gateways (v1beta1), Nodes,
/// the agents' Leases (kube-system/raven-agent-NODE) and kube-system/raven-cfg (null when absent). Everything made
/// from it is pure.
/// </summary>
/// <param name="ReadAt">When the objects were read: lease ages and expiry are judged against it.</param>
public sealed record ClusterSnapshot(
    IReadOnlyList<Gateway> Gateways,
    IReadOnlyList<V1Node> Nodes,
    IReadOnlyList<V1Lease> AgentLeases,
    IReadOnlyDictionary<string, string>? RavenCfg,
    DateTimeOffset ReadAt)
{
    /// <summary>False when the server has no v1beta1 Gateways to list (the CRD missing or not serving it): Gateways is then empty.</summary>
    public bool GatewaysServed { get; init; } = true;
}
