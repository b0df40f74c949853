using Raven.Api;
using Raven.Api.Net;
using Raven.Controller.Election;
using Raven.Kube.Models;

namespace Raven.Controller.Runtime;

/// <summary>Turns cached Nodes, agent Leases and Calico blocks into the facts election needs.</summary>
public static class NodeFactsReader
{
    public const string AgentLeasePrefix = "raven-agent-";

    /// <param name="apiReachableSince">Since when the controller reaches the API server (see <see cref="AgentLeaseVerdict"/>).</param>
    public static NodeFacts Read(Node node, Lease? agentLease, IReadOnlyList<BlockAffinity> calicoBlocks, DateTimeOffset now, DateTimeOffset? apiReachableSince) => new(
        node.Metadata.Name ?? "",
        node.IsReady,
        agentLease is null ? null : AgentLeaseVerdict.Judge(LeaseExpiry(agentLease), LeaseDuration(agentLease), apiReachableSince, now),
        InternalIp(node) ?? "",
        PodCidrs(node, calicoBlocks));

    public static TimeSpan LeaseDuration(Lease lease) => TimeSpan.FromSeconds(lease.Spec.LeaseDurationSeconds ?? 0);

    public static string? InternalIp(Node node) =>
        node.Status.Addresses?.Where(a => a.Type == Node.AddressInternalIP).Select(a => a.Address)
            .FirstOrDefault(a => Cidr.TryParseAddress(a, out _));

    /// <summary>When a lease stops counting as held; never for a lease without renewTime or duration.</summary>
    public static DateTimeOffset LeaseExpiry(Lease lease) =>
        lease.Spec.RenewTime is { } renewed && lease.Spec.LeaseDurationSeconds is { } seconds && !string.IsNullOrEmpty(lease.Spec.HolderIdentity)
            ? renewed.AddSeconds(seconds)
            : DateTimeOffset.MinValue;

    private static List<string> PodCidrs(Node node, IReadOnlyList<BlockAffinity> calicoBlocks)
    {
        var calico = node.Metadata.Annotations?.Keys.Any(k => k.Contains("projectcalico.org", StringComparison.Ordinal)) ?? false;
        if (calico)
        {
            return calicoBlocks.Where(b => b.Spec.Node == node.Metadata.Name && b.Spec.State == BlockAffinity.StateConfirmed)
                .Select(b => b.Spec.Cidr).ToList();
        }

        return node.Spec.PodCIDRs is { Count: > 0 } many ? [.. many]
            : string.IsNullOrEmpty(node.Spec.PodCIDR) ? [] : [node.Spec.PodCIDR];
    }

    public static string? GatewayOf(Node? node) => node?.Metadata.Label(WellKnown.GatewayLabel);
}
