using System.Net;
using k8s.Models;
using Raven.Api.Net;
using Raven.Controller.Runtime;

namespace Raven.Cli.Trace;

/// <summary>
/// Pure: an end of the trace as the operator typed it (<c>[namespace/]pod</c>, a node name, or an IP) → the one
/// place it names, or a one-line reason why it names none or several. An IP is a pod's IP, a node's InternalIP, or an
/// address inside a node's pod CIDR; one that two nodes claim is ambiguous, as it is for L3 (the agents route such an
/// address to neither domain), and only the node's name reaches it.
/// </summary>
internal static class TraceTargets
{
    public const string PodKind = "pod";
    public const string NodeKind = "node";
    public const string AddressKind = "address";

    public static (TraceEnd? End, string? Error) Resolve(string text, TraceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        text = text.Trim();
        if (text.Length == 0)
        {
            return (null, "an empty end: give a pod ([namespace/]name), a node name or an IP");
        }

        if (Cidr.TryParseAddress(text, out var address))
        {
            return ByAddress(text, address, snapshot);
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var (ns, name) = (text[..slash], text[(slash + 1)..]);
            var pod = snapshot.Pods.FirstOrDefault(p => p.Metadata?.NamespaceProperty == ns && p.Metadata.Name == name);
            return pod is null ? (null, $"no pod {ns}/{name}") : FromPod(pod, snapshot);
        }

        if (snapshot.Cluster.Nodes.FirstOrDefault(n => n.Metadata?.Name == text) is { } node)
        {
            return (OfNode(node, NodeKind, NodeFactsReader.InternalIp(node)), null);
        }

        var pods = snapshot.Pods.Where(p => p.Metadata?.Name == text).ToList();
        return pods.Count switch
        {
            0 => (null, $"no pod, node or IP named {text}"),
            1 => FromPod(pods[0], snapshot),
            _ => (null, $"{pods.Count} pods are named {text} ({string.Join(", ", pods.Select(Name))}): give namespace/name"),
        };
    }

    private static (TraceEnd?, string?) FromPod(V1Pod pod, TraceSnapshot snapshot)
    {
        if (string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return (null, $"pod {Name(pod)} is not scheduled (spec.nodeName is empty): it has no place in the network yet");
        }

        var node = snapshot.Cluster.Nodes.FirstOrDefault(n => n.Metadata?.Name == pod.Spec.NodeName);
        var ip = string.IsNullOrEmpty(pod.Status?.PodIP) ? null : pod.Status.PodIP;
        return (new TraceEnd(PodKind, pod.Spec.NodeName, node is null ? null : NodeFactsReader.GatewayOf(node), ip, Name(pod)), null);
    }

    private static (TraceEnd?, string?) ByAddress(string text, IPAddress address, TraceSnapshot snapshot)
    {
        // A host-network pod's IP is its node's: the node, not the pod, is what the address names.
        var nodeIps = snapshot.Cluster.Nodes.Select(NodeFactsReader.InternalIp).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var pods = snapshot.Pods.Where(p => p.Spec?.HostNetwork != true && !string.IsNullOrEmpty(p.Spec?.NodeName) && !nodeIps.Contains(text) && PodIps(p).Contains(text)).ToList();
        if (pods.Count == 1)
        {
            return FromPod(pods[0], snapshot);
        }

        var byNodeIp = snapshot.Cluster.Nodes.Where(n => NodeFactsReader.InternalIp(n) is { } ip && Cidr.TryParseAddress(ip, out var a) && a.Equals(address)).ToList();
        var byPodCidr = snapshot.Cluster.Nodes.Where(n => PodCidrs(n).Any(c => c.Contains(address))).ToList();
        var claimants = byNodeIp.Select(n => (Node: n, What: "InternalIP")).Concat(byPodCidr.Select(n => (Node: n, What: "pod CIDR")))
            .DistinctBy(c => c.Node.Metadata.Name).ToList();
        if (claimants.Count == 0)
        {
            return (null, $"{text} is no pod's IP, no node's InternalIP and in no node's pod CIDR");
        }

        if (claimants.Count > 1)
        {
            var who = string.Join(", ", claimants.Select(c => $"{c.What} of node {c.Node.Metadata.Name} ({NodeFactsReader.GatewayOf(c.Node) ?? "in no gateway"})"));
            return (null, $"{text} is ambiguous: it is the {who}. L3 routes an address two domains claim to neither (the agents leave it out of the "
                          + $"tunnel); reach the node by name through the L7 proxy, and trace it by name (raven trace SRC {claimants[0].Node.Metadata.Name})");
        }

        var (node, what) = claimants[0];
        return (OfNode(node, what == "InternalIP" ? NodeKind : AddressKind, text), null);
    }

    private static TraceEnd OfNode(V1Node node, string kind, string? address) =>
        new(kind, node.Metadata.Name, NodeFactsReader.GatewayOf(node), address);

    internal static string Name(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";

    private static IEnumerable<string> PodIps(V1Pod pod) =>
        (pod.Status?.PodIPs ?? []).Select(i => i.Ip).Append(pod.Status?.PodIP).OfType<string>().Where(i => i.Length > 0);

    internal static IEnumerable<Cidr> PodCidrs(V1Node node) =>
        (node.Spec?.PodCIDRs ?? []).Append(node.Spec?.PodCIDR).OfType<string>()
            .Select(t => Cidr.TryParse(t, out var c, out _) ? c : (Cidr?)null).OfType<Cidr>().Distinct();
}
