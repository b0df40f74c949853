using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.Net;
using Raven.Controller.Election;
using k8s.Models;
using Raven.Kube.Models;

namespace Raven.Controller.Runtime;

/// <summary>Turns cached Nodes, agent Leases and Calico blocks into the facts election needs.</summary>
public static class NodeFactsReader
{
    public const string AgentLeasePrefix = "raven-agent-";

    /// <param name="apiReachableSince">Since when the controller reaches the API server (see <see cref="AgentLeaseVerdict"/>).</param>
    public static NodeFacts Read(V1Node node, V1Lease? agentLease, IReadOnlyList<BlockAffinity> calicoBlocks, DateTimeOffset now, DateTimeOffset? apiReachableSince)
    {
        var problems = new List<NodeFieldProblem>();
        var internalIp = InternalIp(node);
        if (internalIp is null)
        {
            var given = node.Status?.Addresses?.Where(a => a.Type == KubeModelExtensions.AddressInternalIP).Select(a => a.Address).ToList() ?? [];
            problems.Add(given.Count == 0
                ? new NodeFieldProblem("status.addresses", "no InternalIP address")
                : new NodeFieldProblem("status.addresses[type=InternalIP]", $"\"{given[0]}\" is not an IP address"));
        }

        return new NodeFacts(node.Metadata?.Name ?? "", node.IsReady(), agentLease is null ? null : AgentLeaseVerdict.Judge(LeaseExpiry(agentLease), LeaseDuration(agentLease), apiReachableSince, now),
            internalIp ?? "", ValidPodCidrs(node, calicoBlocks, problems))
        {
            Problems = problems,
            // A report is as old as the lease's last renewal; an expired lease's report says nothing about now.
            DataPlane = agentLease is not null && LeaseExpiry(agentLease) > now ? DataPlaneReport.TryParse(agentLease.Metadata.Annotation(DataPlaneReport.Annotation)) : null,
        };
    }

    public static TimeSpan LeaseDuration(V1Lease lease) => TimeSpan.FromSeconds(lease.Spec?.LeaseDurationSeconds ?? 0);

    public static string? InternalIp(V1Node node) =>
        node.Status?.Addresses?.Where(a => a.Type == KubeModelExtensions.AddressInternalIP).Select(a => a.Address)
            .FirstOrDefault(a => Cidr.TryParseAddress(a, out _));

    /// <summary>When a lease stops counting as held; never for a lease without renewTime or duration.</summary>
    public static DateTimeOffset LeaseExpiry(V1Lease lease) =>
        lease.Spec?.RenewTime is { } renewed && lease.Spec.LeaseDurationSeconds is { } seconds && !string.IsNullOrEmpty(lease.Spec.HolderIdentity)
            ? renewed.AsUtc().AddSeconds(seconds)
            : DateTimeOffset.MinValue;

    /// <summary>Pod CIDRs in canonical form; each unusable one is reported under its field path and left out.</summary>
    private static List<string> ValidPodCidrs(V1Node node, IReadOnlyList<BlockAffinity> calicoBlocks, List<NodeFieldProblem> problems)
    {
        var valid = new List<string>();
        foreach (var (field, text) in PodCidrFields(node, calicoBlocks))
        {
            if (text.Trim() != text)
            {
                problems.Add(new NodeFieldProblem(field, $"\"{text}\" is not a CIDR: surrounding spaces"));
            }
            else if (Cidr.TryParse(text, out var cidr, out var error))
            {
                valid.Add(cidr.ToString());
            }
            else
            {
                problems.Add(new NodeFieldProblem(field, error));
            }
        }

        return valid;
    }

    private static IEnumerable<(string Field, string Text)> PodCidrFields(V1Node node, IReadOnlyList<BlockAffinity> calicoBlocks)
    {
        var calico = node.Metadata.Annotations?.Keys.Any(k => k.Contains("projectcalico.org", StringComparison.Ordinal)) ?? false;
        if (calico)
        {
            return calicoBlocks.Where(b => b.Spec.Node == node.Metadata.Name && b.Spec.State == BlockAffinity.StateConfirmed)
                .Select(b => ($"blockaffinity {b.Metadata.Name} spec.cidr", b.Spec.Cidr));
        }

        return node.Spec?.PodCIDRs is { Count: > 0 } many ? many.Select((c, i) => ($"spec.podCIDRs[{i}]", c ?? ""))
            : string.IsNullOrEmpty(node.Spec?.PodCIDR) ? [] : [("spec.podCIDR", node.Spec.PodCIDR)];
    }

    public static string? GatewayOf(V1Node? node) => node?.Metadata.Label(WellKnown.GatewayLabel);
}
