namespace Raven.Controller.Election;

/// <summary>What election needs to know about one node, already read from the API.</summary>
/// <param name="Name">Node name.</param>
/// <param name="Ready">NodeReady condition is True.</param>
/// <param name="AgentAlive">The raven agent's lease is current; null when the node never had an agent lease.</param>
/// <param name="InternalIp">First InternalIP address, or "" when none parses.</param>
/// <param name="PodCidrs">Pod CIDRs in order (spec.podCIDRs, else spec.podCIDR, or Calico block affinities).</param>
public sealed record NodeFacts(string Name, bool Ready, bool? AgentAlive, string InternalIp, IReadOnlyList<string> PodCidrs)
{
    /// <summary>
    /// Eligible to host an active endpoint. The agent lease expires within seconds of a gateway dying,
    /// long before NodeReady flips (40 s or more), so it decides when present; NodeReady is the fallback.
    /// </summary>
    public bool Eligible => Ready && AgentAlive != false;
}
