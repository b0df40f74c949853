using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Raven.Kube.Client;
using Raven.Lab.Shell;

namespace Raven.Lab.Pods;

/// <summary>
/// The pod half of a node's kubelet stand-in: every pass lists the pods bound to this node (spec.nodeName) and
/// keeps one <see cref="PodWorker"/> per pod (but the lab's own network-namespace pods, <see cref="PodState.IsNetnsPod"/>); a pod marked deleted is stopped within its grace period and then
/// released (its finalizer removed, so the API server removes it and its workload controller may replace it).
/// </summary>
public sealed class PodRuntime(KubeClient client, PodRuntimeSettings settings, ILogger logger)
{
    private readonly Dictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _stopping = new(StringComparer.Ordinal);
    private readonly LabProcessTable _table = new(settings.StateRoot);

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException || e.IsApiError())
            {
                logger.LogWarning("pod sync failed: {Error}", KubeErrors.Describe(e));
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        var pods = (await client.Api.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={settings.NodeName}", cancellationToken: cancellationToken)
            .ConfigureAwait(false)).Items;
        foreach (var done in _stopping.Where(s => s.Value.IsCompleted).Select(s => s.Key).ToList())
        {
            _stopping.Remove(done);
        }

        // The lab's network-namespace pods are the lab's, not this kubelet's: nothing to run, stop or release.
        pods = [.. pods.Where(p => !PodState.IsNetnsPod(p))];
        foreach (var pod in pods)
        {
            var uid = pod.Metadata.Uid;
            if (PodState.IsTerminating(pod))
            {
                if (!_stopping.ContainsKey(uid))
                {
                    _stopping[uid] = TerminateAsync(pod, _workers.Remove(uid, out var worker) ? worker : null);
                }

                continue;
            }

            if (_workers.TryGetValue(uid, out var running))
            {
                running.Pod = pod;
            }
            else if (pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Spec.Containers.Count > 0)
            {
                logger.LogInformation("running pod {Namespace}/{Pod}", pod.Metadata.NamespaceProperty, pod.Metadata.Name);
                var worker = new PodWorker(client, settings, _table, pod, logger);
                _workers[uid] = worker;
                worker.Start();
            }
        }

        // Removed without a finalizer to wait for (force delete): stop what still runs.
        var present = pods.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var (uid, worker) in _workers.Where(w => !present.Contains(w.Key)).ToList())
        {
            _workers.Remove(uid);
            _stopping[uid] = worker.StopAsync(TimeSpan.FromSeconds(worker.Pod.Spec.TerminationGracePeriodSeconds ?? 30));
        }
    }

    private async Task TerminateAsync(V1Pod pod, PodWorker? worker)
    {
        // The embedded API server marks every deletion with a 0 s grace period; a real one copies the pod's own.
        var grace = pod.Metadata.DeletionGracePeriodSeconds is > 0 and var given ? given : pod.Spec.TerminationGracePeriodSeconds ?? 30;
        if (worker is not null)
        {
            await worker.StopAsync(TimeSpan.FromSeconds(grace)).ConfigureAwait(false);
        }

        var sandbox = settings.Sandbox(pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name, pod.Metadata.Uid);
        if (Directory.Exists(sandbox))
        {
            Directory.Delete(sandbox, recursive: true);
        }

        var finalizers = (pod.Metadata.Finalizers ?? []).Where(f => f != PodState.KubeletFinalizer).ToList();
        try
        {
            await client.Api.CoreV1.PatchNamespacedPodAsync(new V1Patch(new { metadata = new { finalizers } }, V1Patch.PatchType.MergePatch),
                pod.Metadata.Name, pod.Metadata.NamespaceProperty).ConfigureAwait(false);
            logger.LogInformation("pod {Namespace}/{Pod} stopped and released", pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.IsNotFound())
        {
            // gone already
        }
    }
}
