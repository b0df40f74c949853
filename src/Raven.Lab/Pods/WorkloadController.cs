using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Raven.Kube.Client;

namespace Raven.Lab.Pods;

/// <summary>
/// The lab's DaemonSet and Deployment controllers in one level-triggered loop (the embedded API server runs no
/// controllers): each pass lists DaemonSets, Deployments, Nodes and Pods and moves the pods one step towards the
/// templates. A DaemonSet gets one pod per node it fits (<see cref="NodeFit"/>), bound with spec.nodeName, named
/// <c>&lt;ds&gt;-xxxxx</c>; a Deployment gets <c>replicas</c> pods (no ReplicaSets: the server has none), named
/// <c>&lt;deploy&gt;-&lt;hash&gt;-xxxxx</c>, spread over the nodes it fits. A changed template (rollout restart)
/// replaces pods within the update strategy: a DaemonSet deletes an old pod only while fewer than maxUnavailable
/// nodes lack a ready pod, and creates the new one once the old is gone (the node's kubelet removes the pod's
/// finalizer when its processes have stopped); a Deployment surges new pods and deletes old ones while at least
/// replicas − maxUnavailable are ready. Pods are owned by their workload, so deleting it removes them (server GC).
/// </summary>
public sealed class WorkloadController(KubeClient client, ILogger logger)
{
    private const string DaemonSetKind = "DaemonSet";
    private const string DeploymentKind = "Deployment";

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException || e.IsApiError())
            {
                logger.LogWarning("workload pass failed: {Error}", KubeErrors.Describe(e));
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var api = client.Api;
        var nodes = (await api.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        var pods = (await api.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        foreach (var ds in (await api.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items)
        {
            await ReconcileAsync(ds, nodes, pods.Where(p => PodState.OwnedBy(p, DaemonSetKind, ds.Metadata.Uid)).ToList(), cancellationToken).ConfigureAwait(false);
        }

        foreach (var deployment in (await api.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items)
        {
            await ReconcileAsync(deployment, nodes, pods, pods.Where(p => PodState.OwnedBy(p, DeploymentKind, deployment.Metadata.Uid)).ToList(), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task ReconcileAsync(V1DaemonSet ds, IList<V1Node> nodes, List<V1Pod> owned, CancellationToken cancellationToken)
    {
        if (ds.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var hash = PodNames.TemplateHash(ds.Spec.Template);
        var eligible = nodes.Where(n => NodeFit.Fits(ds.Spec.Template.Spec, n)).Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var byNode = owned.GroupBy(p => p.Spec.NodeName ?? "").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var maxUnavailable = Math.Max(1, PodState.Count(ds.Spec.UpdateStrategy?.RollingUpdate?.MaxUnavailable, eligible.Count, 1, roundUp: false));
        var onDelete = ds.Spec.UpdateStrategy?.Type == "OnDelete";

        foreach (var (node, stale) in byNode.Where(e => !eligible.Contains(e.Key)))
        {
            foreach (var pod in stale.Where(p => !PodState.IsTerminating(p)))
            {
                await DeleteAsync(pod, "its node no longer fits", cancellationToken).ConfigureAwait(false);
            }
        }

        var unavailable = eligible.Count(n => !byNode.TryGetValue(n, out var ps) || !ps.Any(PodState.IsReady));
        foreach (var node in eligible.Order(StringComparer.Ordinal))
        {
            var here = byNode.GetValueOrDefault(node) ?? [];
            if (here.Count == 0)
            {
                await CreateAsync(ds.Metadata, DaemonSetKind, PodNames.ForDaemonSet(ds.Metadata.Name), ds.Spec.Template, PodNames.DaemonSetHashLabel, hash, node, cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }

            var live = here.Where(p => !PodState.IsTerminating(p)).ToList();
            foreach (var extra in live.Skip(1))
            {
                await DeleteAsync(extra, "a second pod on one node", cancellationToken).ConfigureAwait(false);
            }

            var old = live.FirstOrDefault();
            if (onDelete || old is null || Hash(old, PodNames.DaemonSetHashLabel) == hash)
            {
                continue;
            }

            // A pod that is not ready counts as unavailable already: replacing it costs nothing.
            if (!PodState.IsReady(old) || unavailable < maxUnavailable)
            {
                unavailable += PodState.IsReady(old) ? 1 : 0;
                await DeleteAsync(old, "its template changed", cancellationToken).ConfigureAwait(false);
            }
        }

        await WriteStatusAsync(ds, eligible.Count, owned, hash, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReconcileAsync(V1Deployment deployment, IList<V1Node> nodes, IList<V1Pod> allPods, List<V1Pod> owned, CancellationToken cancellationToken)
    {
        if (deployment.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var replicas = deployment.Spec.Replicas ?? 1;
        var hash = PodNames.TemplateHash(deployment.Spec.Template);
        var live = owned.Where(p => !PodState.IsTerminating(p)).ToList();
        var current = live.Where(p => Hash(p, PodNames.DeploymentHashLabel) == hash).ToList();
        var old = live.Except(current).ToList();
        var recreate = deployment.Spec.Strategy?.Type == "Recreate";
        var rolling = deployment.Spec.Strategy?.RollingUpdate;
        var surge = recreate ? 0 : PodState.Count(rolling?.MaxSurge, replicas, Math.Max(1, (replicas + 3) / 4), roundUp: true);
        var maxUnavailable = recreate ? replicas : PodState.Count(rolling?.MaxUnavailable, replicas, replicas / 4, roundUp: false);
        if (surge == 0 && maxUnavailable == 0)
        {
            maxUnavailable = 1; // as the Deployment controller: both zero is invalid, it would never progress
        }

        // Old pods first go while enough stay ready; then new ones fill up to replicas + surge.
        var ready = live.Count(PodState.IsReady);
        foreach (var pod in old.OrderBy(PodState.IsReady))
        {
            if (!PodState.IsReady(pod) || ready - 1 >= replicas - maxUnavailable)
            {
                ready -= PodState.IsReady(pod) ? 1 : 0;
                await DeleteAsync(pod, "its template changed", cancellationToken).ConfigureAwait(false);
                live.Remove(pod);
            }
        }

        foreach (var extra in current.Skip(replicas))
        {
            await DeleteAsync(extra, "more replicas than wanted", cancellationToken).ConfigureAwait(false);
            live.Remove(extra);
        }

        var counted = recreate ? owned.Count : live.Count;
        var toCreate = Math.Min(replicas - Math.Min(current.Count, replicas), replicas + surge - counted);
        var placed = allPods.ToList();
        for (var i = 0; i < toCreate; i++)
        {
            // A pod with no free node waits for a later pass, as an unschedulable pod stays Pending.
            var eligible = nodes.Where(n => NodeFit.Fits(deployment.Spec.Template.Spec, n) &&
                                            !NodePorts.Conflict(deployment.Spec.Template.Spec, placed.Where(p => p.Spec.NodeName == n.Metadata.Name))).ToList();
            if (eligible.Count == 0)
            {
                break;
            }

            // Spread as the preferred anti-affinity asks: the node running the fewest of this Deployment's pods.
            var node = eligible.OrderBy(n => owned.Count(p => p.Spec.NodeName == n.Metadata.Name && !PodState.IsTerminating(p)))
                .ThenBy(n => placed.Count(p => p.Spec.NodeName == n.Metadata.Name)).ThenBy(n => n.Metadata.Name, StringComparer.Ordinal).First();
            var created = await CreateAsync(deployment.Metadata, DeploymentKind, PodNames.ForDeployment(deployment.Metadata.Name, hash), deployment.Spec.Template,
                PodNames.DeploymentHashLabel, hash, node.Metadata.Name, cancellationToken).ConfigureAwait(false);
            owned.Add(created);
            placed.Add(created);
        }

        await WriteStatusAsync(deployment, owned, hash, cancellationToken).ConfigureAwait(false);
    }

    private static string? Hash(V1Pod pod, string label) => pod.Metadata.Labels is { } labels && labels.TryGetValue(label, out var value) ? value : null;

    private async Task<V1Pod> CreateAsync(V1ObjectMeta owner, string kind, string name, V1PodTemplateSpec template, string hashLabel, string hash, string node,
        CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [hashLabel] = hash };
        var spec = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(template.Spec));
        spec.NodeName = node;
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = owner.NamespaceProperty,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                Finalizers = [PodState.KubeletFinalizer],
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = kind, Name = owner.Name, Uid = owner.Uid, Controller = true, BlockOwnerDeletion = true }],
            },
            Spec = spec,
        };
        logger.LogInformation("creating pod {Namespace}/{Pod} on {Node} for {Kind} {Owner}", owner.NamespaceProperty, name, node, kind, owner.Name);
        return await client.Api.CoreV1.CreateNamespacedPodAsync(pod, owner.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(V1Pod pod, string why, CancellationToken cancellationToken)
    {
        logger.LogInformation("deleting pod {Namespace}/{Pod} on {Node}: {Why}", pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Spec.NodeName, why);
        try
        {
            await client.Api.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.IsNotFound())
        {
            // gone already
        }
    }

    private async Task WriteStatusAsync(V1DaemonSet ds, int desired, List<V1Pod> owned, string hash, CancellationToken cancellationToken)
    {
        var live = owned.Where(p => !PodState.IsTerminating(p)).ToList();
        var status = new V1DaemonSetStatus
        {
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = live.Select(p => p.Spec.NodeName).Distinct().Count(),
            NumberReady = live.Count(PodState.IsReady),
            NumberAvailable = live.Count(PodState.IsReady),
            NumberUnavailable = Math.Max(0, desired - live.Count(PodState.IsReady)),
            UpdatedNumberScheduled = live.Count(p => Hash(p, PodNames.DaemonSetHashLabel) == hash),
            NumberMisscheduled = 0,
            ObservedGeneration = ds.Metadata.Generation,
        };
        if (Same(ds.Status, status))
        {
            return;
        }

        await client.Api.AppsV1.PatchNamespacedDaemonSetStatusAsync(new V1Patch(new { status }, V1Patch.PatchType.MergePatch), ds.Metadata.Name, ds.Metadata.NamespaceProperty,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteStatusAsync(V1Deployment deployment, List<V1Pod> owned, string hash, CancellationToken cancellationToken)
    {
        var live = owned.Where(p => !PodState.IsTerminating(p)).ToList();
        var ready = live.Count(PodState.IsReady);
        var wanted = deployment.Spec.Replicas ?? 1;
        var status = new V1DeploymentStatus
        {
            Replicas = live.Count,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            UnavailableReplicas = Math.Max(0, wanted - ready),
            UpdatedReplicas = live.Count(p => Hash(p, PodNames.DeploymentHashLabel) == hash),
            ObservedGeneration = deployment.Metadata.Generation,
        };
        if (Same(deployment.Status, status))
        {
            return;
        }

        await client.Api.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch(new { status }, V1Patch.PatchType.MergePatch), deployment.Metadata.Name,
            deployment.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool Same<T>(T? current, T wanted) => current is not null && KubernetesJson.Serialize(current) == KubernetesJson.Serialize(wanted);
}
