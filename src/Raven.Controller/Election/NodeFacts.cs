using Raven.Api.DataPlane;

namespace Raven.Controller.Election;

/// <summary>What election needs to know about one node, already read from the API.</summary>
/// <param name="Name">Node name.</param>
/// <param name="Ready">NodeReady condition is True.</param>
/// <param name="AgentAlive">The raven agent's lease is current; null when the node never had an agent lease.</param>
/// <param name="InternalIp">First InternalIP address, or "" when none parses.</param>
/// <param name="PodCidrs">Valid pod CIDRs in order, canonical (spec.podCIDRs, else spec.podCIDR, or Calico block affinities).</param>
public sealed record NodeFacts(string Name, bool Ready, bool? AgentAlive, string InternalIp, IReadOnlyList<string> PodCidrs)
{
    /// <summary>Fields that were unusable and left out of <see cref="InternalIp"/> / <see cref="PodCidrs"/>.</summary>
    public IReadOnlyList<NodeFieldProblem> Problems { get; init; } = [];

    /// <summary>What the node's data plane decided (its agent Lease's report), only while that Lease is current; else null.</summary>
    public DataPlaneReport? DataPlane { get; init; }

    /// <summary>A node without an InternalIP cannot be in status.nodes, so agents could not use it as an endpoint.</summary>
    public bool HasAddress => InternalIp.Length > 0;

    /// <summary>
    /// Eligible to host an active endpoint. The agent lease expires within seconds of a gateway dying,
    /// long before NodeReady flips (40 s or more), so it decides when present; NodeReady is the fallback.
    /// </summary>
    public bool Eligible => Ready && AgentAlive != false && HasAddress;
}

/// <summary>One unusable field of a Node: its path (e.g. "spec.podCIDRs[1]") and what is wrong with it.</summary>
public sealed record NodeFieldProblem(string Field, string Message);
