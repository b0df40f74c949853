using k8s;
using k8s.Models;
using Raven.Kube.Client;
using Raven.Lab.Pods;
using Raven.Lab.Topology;

namespace Raven.Lab.Run;

/// <summary>
/// The lab's workload pods (one network namespace per node, <see cref="LabNames.Pod"/>) registered as Pod objects,
/// so tools that resolve pods through the API (`raven trace p-hz-2 p-qd-2`) find them as on a real cluster:
/// default/p-NODE, bound to the node, Running at the namespace's address. The lab built their sandbox and owns their
/// status; the node's kubelet stand-in leaves them alone (<see cref="PodState.IsNetnsPod"/>).
/// </summary>
public static class LabNetnsPods
{
    public const string Namespace = "default";

    /// <summary>Pure: the Pod objects for the topology's nodes.</summary>
    public static IReadOnlyList<V1Pod> Pods(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return [.. topology.Nodes.Select(n => Pod(topology, n))];
    }

    public static string Name(LabNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return "p-" + node.LabName;
    }

    private static V1Pod Pod(LabTopology topology, LabNode node) => new()
    {
        Metadata = new()
        {
            Name = Name(node),
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { ["app"] = "lab-workload" },
            Annotations = new Dictionary<string, string> { [PodState.NetnsPodAnnotation] = topology.Names.Pod(node) },
        },
        Spec = new V1PodSpec
        {
            NodeName = node.NodeName,
            // The API requires a container; this one stands for the namespace's holder, as pause does for a real sandbox.
            Containers = [new V1Container { Name = "netns", Image = "registry.k8s.io/pause:3.10" }],
        },
    };

    /// <summary>What the lab reports for a pod it built: Running and Ready at the namespace's eth0 address.</summary>
    public static V1PodStatus Status(LabNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var now = DateTime.UtcNow;
        var ip = node.PodAddress.ToString();
        var host = node.LanAddress.ToString();
        return new V1PodStatus
        {
            Phase = "Running",
            HostIP = host,
            HostIPs = [new V1HostIP { Ip = host }],
            PodIP = ip,
            PodIPs = [new V1PodIP { Ip = ip }],
            StartTime = now,
            Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = now },
                new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = now },
            ],
        };
    }

    /// <summary>Creates each Pod (kept when it exists) and writes its status through the status subresource, as a kubelet would.</summary>
    public static async Task RegisterAsync(KubeClient client, LabTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (var (pod, node) in Pods(topology).Zip(topology.Nodes))
        {
            try
            {
                await client.Api.CoreV1.CreateNamespacedPodAsync(pod, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.IsAlreadyExists())
            {
                // already registered (an `up` on a kept API data directory)
            }

            await client.Api.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new { status = Status(node) }, V1Patch.PatchType.MergePatch),
                pod.Metadata.Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
