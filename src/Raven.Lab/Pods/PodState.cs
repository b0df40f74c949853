using k8s.Models;

namespace Raven.Lab.Pods;

/// <summary>What the workload controllers read off a pod (pure).</summary>
public static class PodState
{
    /// <summary>Set on every pod the lab creates, removed by the node's kubelet once the pod's processes are gone.</summary>
    public const string KubeletFinalizer = "lab.raven.openyurt.io/kubelet";

    /// <summary>
    /// On the lab's workload pods (<c>Run/LabNetnsPods</c>): the network namespace the lab built as the pod's sandbox.
    /// The lab owns such a pod's status; a kubelet stand-in runs nothing for it.
    /// </summary>
    public const string NetnsPodAnnotation = "lab.raven.openyurt.io/netns";

    /// <summary>A pod the lab built as a network namespace, not one a kubelet runs.</summary>
    public static bool IsNetnsPod(V1Pod pod) => pod.Metadata?.Annotations?.ContainsKey(NetnsPodAnnotation) == true;

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    public static bool IsReady(V1Pod pod) =>
        !IsTerminating(pod) && (pod.Status?.Conditions ?? []).Any(c => c.Type == "Ready" && c.Status == "True");

    public static bool OwnedBy(V1Pod pod, string kind, string uid) =>
        (pod.Metadata.OwnerReferences ?? []).Any(o => o.Kind == kind && o.Uid == uid && o.Controller == true);

    /// <summary>maxUnavailable / maxSurge as a count: an integer, or a percentage of <paramref name="total"/> (rounded as the controllers round).</summary>
    public static int Count(IntOrString? value, int total, int fallback, bool roundUp)
    {
        if (value?.Value is not { } text)
        {
            return fallback;
        }

        if (text.EndsWith('%') && int.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var percent))
        {
            var exact = total * percent / 100.0;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : fallback;
    }
}
