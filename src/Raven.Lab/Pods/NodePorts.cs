using k8s.Models;

namespace Raven.Lab.Pods;

/// <summary>
/// The scheduler's NodePorts rule as the lab needs it (pure). A lab pod runs in its node's network namespace, so every
/// containerPort it declares is a host port here: two pods declaring the same port and protocol cannot share a node.
/// Without this, both controller replicas once landed on one cloud node and the second crash-looped on its
/// health port (10272) for the whole of `lab up`.
/// </summary>
public static class NodePorts
{
    /// <summary>
    /// True when a pod of <paramref name="podsOnNode"/> already declares one of the spec's ports; a terminating one too,
    /// since its processes hold the port until the kubelet has stopped them.
    /// </summary>
    public static bool Conflict(V1PodSpec spec, IEnumerable<V1Pod> podsOnNode)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(podsOnNode);
        var wanted = Ports(spec).ToHashSet();
        return wanted.Count > 0 && podsOnNode.SelectMany(p => Ports(p.Spec)).Any(wanted.Contains);
    }

    private static IEnumerable<(int Port, string Protocol)> Ports(V1PodSpec? spec) =>
        (spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).Select(p => (p.HostPort is > 0 ? p.HostPort.Value : p.ContainerPort, p.Protocol ?? "TCP"));
}
