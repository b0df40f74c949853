using k8s.Models;

namespace Raven.Lab.Pods;

/// <summary>
/// Whether a pod may run on a node, as far as the lab's manifests ask (pure): nodeSelector, required node affinity
/// (In, NotIn, Exists, DoesNotExist on labels), and the node's NoSchedule/NoExecute taints against the pod's
/// tolerations. Preferred affinities and resources are the scheduler's business; the lab has room for everything.
/// </summary>
public static class NodeFit
{
    public static bool Fits(V1PodSpec spec, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(node);
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        if ((spec.NodeSelector ?? new Dictionary<string, string>()).Any(s => !labels.TryGetValue(s.Key, out var v) || v != s.Value))
        {
            return false;
        }

        var terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (terms is { Count: > 0 } && !terms.Any(t => (t.MatchExpressions ?? []).All(e => Matches(e, labels))))
        {
            return false;
        }

        return (node.Spec?.Taints ?? []).Where(t => t.Effect is "NoSchedule" or "NoExecute")
            .All(taint => (spec.Tolerations ?? []).Any(t => Tolerates(t, taint)));
    }

    private static bool Matches(V1NodeSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => has && values.Contains(value!),
            "NotIn" => !has || !values.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            _ => false,
        };
    }

    /// <summary>Kubernetes' rule: an empty key with Exists tolerates everything; the effect must match unless empty.</summary>
    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        ArgumentNullException.ThrowIfNull(toleration);
        ArgumentNullException.ThrowIfNull(taint);
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (string.IsNullOrEmpty(toleration.Key))
        {
            return toleration.OperatorProperty == "Exists";
        }

        return toleration.Key == taint.Key && (toleration.OperatorProperty == "Exists" || (toleration.Value ?? "") == (taint.Value ?? ""));
    }
}
