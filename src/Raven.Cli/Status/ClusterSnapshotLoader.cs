using k8s;
using Raven.Api;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Cli.Status;

/// <summary>The thin shell: lists what <see cref="ClusterSnapshot"/> holds through the project's client, nothing more.</summary>
public static class ClusterSnapshotLoader
{
    public static async Task<ClusterSnapshot> LoadAsync(KubeClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        // A missing CRD is something to report, not a reason to report nothing: an empty list, flagged.
        var gateways = client.CustomObjects(KubeResources.Gateways).ListAsync(cancellationToken: cancellationToken).NullIfNotFound();
        var nodes = client.Api.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        var leases = client.Api.CoordinationV1.ListNamespacedLeaseAsync(WellKnown.WorkingNamespace, cancellationToken: cancellationToken);
        var cfg = client.Api.CoreV1.ReadNamespacedConfigMapAsync(WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).NullIfNotFound();
        await Task.WhenAll(gateways, nodes, leases, cfg).ConfigureAwait(false);
        var agentLeases = (await leases.ConfigureAwait(false)).Items
            .Where(l => l.Metadata?.Name?.StartsWith(NodeFactsReader.AgentLeasePrefix, StringComparison.Ordinal) ?? false).ToList();
        // A raven-cfg without data is present but switches nothing on; absent is told apart from it.
        var configMap = await cfg.ConfigureAwait(false);
        var cfgData = configMap is null ? null : configMap.ReadOnlyData() ?? new Dictionary<string, string>();
        var listed = await gateways.ConfigureAwait(false);
        return new ClusterSnapshot(listed ?? [], [.. (await nodes.ConfigureAwait(false)).Items], agentLeases, cfgData, client.Time.GetUtcNow())
        {
            GatewaysServed = listed is not null,
        };
    }
}
