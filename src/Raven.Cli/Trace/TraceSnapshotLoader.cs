using k8s;
using k8s.Models;
using Raven.Api;
using Raven.Cli.Status;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Cli.Trace;

/// <summary>The thin shell of `raven trace`: the status snapshot plus Pods and raven-agent-config, nothing decided here.</summary>
public static class TraceSnapshotLoader
{
    /// <param name="podNamespaces">
    /// The namespaces whose Pods may be an end; null lists every namespace (an end given as a bare name or IP may be
    /// any pod).
    /// </param>
    public static async Task<TraceSnapshot> LoadAsync(KubeClient client, IReadOnlyCollection<string>? podNamespaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cluster = ClusterSnapshotLoader.LoadAsync(client, cancellationToken);
        var pods = PodsAsync(client, podNamespaces, cancellationToken);
        var agentConfig = client.Api.CoreV1.ReadNamespacedConfigMapAsync(WellKnown.RavenAgentConfig, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).NullIfNotFound();
        await Task.WhenAll(cluster, pods, agentConfig).ConfigureAwait(false);
        var configMap = await agentConfig.ConfigureAwait(false);
        return new TraceSnapshot(await cluster.ConfigureAwait(false), await pods.ConfigureAwait(false),
            configMap is null ? null : configMap.ReadOnlyData() ?? new Dictionary<string, string>());
    }

    private static async Task<IReadOnlyList<V1Pod>> PodsAsync(KubeClient client, IReadOnlyCollection<string>? namespaces, CancellationToken cancellationToken)
    {
        if (namespaces is null)
        {
            return [.. (await client.Api.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items];
        }

        var lists = await Task.WhenAll(namespaces.Distinct(StringComparer.Ordinal)
            .Select(ns => client.Api.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cancellationToken))).ConfigureAwait(false);
        return [.. lists.SelectMany(l => l.Items)];
    }
}
