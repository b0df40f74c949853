using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Raven.Agent.Tunnel.IPsec;
using Raven.Api;
using Raven.Cli.Status;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Cli.Diagnose;

/// <summary>The thin shell of `raven diagnose`: the status snapshot plus the objects its checks read, nothing decided here.</summary>
public static class DiagnoseSnapshotLoader
{
    public const string CrdName = WellKnown.GatewayPlural + "." + WellKnown.Group;

    public static async Task<DiagnoseSnapshot> LoadAsync(KubeClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        // An operator may lack rights to some of these (Secrets most often): that check then says so, the rest still run.
        var unreadable = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var cluster = ClusterSnapshotLoader.LoadAsync(client, cancellationToken);
        var crd = Soft("crd", client.Api.ApiextensionsV1.ReadCustomResourceDefinitionAsync(CrdName, cancellationToken: cancellationToken).NullIfNotFound(), unreadable);
        var agentConfig = Soft("raven-agent-config",
            client.Api.CoreV1.ReadNamespacedConfigMapAsync(WellKnown.RavenAgentConfig, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).NullIfNotFound(), unreadable);
        var secret = Soft("secret", SecretKeysAsync(client, cancellationToken), unreadable);
        var webhooks = Soft("webhooks", WebhooksAsync(client, cancellationToken), unreadable);
        var blocks = Soft("calico", client.CustomObjects(KubeResources.BlockAffinities).ListAsync(cancellationToken: cancellationToken).NullIfNotFound(), unreadable);
        await Task.WhenAll(cluster, crd, agentConfig, secret, webhooks, blocks).ConfigureAwait(false);
        var configMap = await agentConfig.ConfigureAwait(false);
        var services = await Soft("webhook-services", ServiceEndpointsAsync(client, await webhooks.ConfigureAwait(false) ?? [], cancellationToken), unreadable).ConfigureAwait(false);
        var dryRuns = await WebhookDryRunsAsync(client, await webhooks.ConfigureAwait(false), await crd.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return new DiagnoseSnapshot(
            await cluster.ConfigureAwait(false),
            await crd.ConfigureAwait(false),
            configMap is null ? null : configMap.ReadOnlyData() ?? new Dictionary<string, string>(),
            await secret.ConfigureAwait(false),
            await webhooks.ConfigureAwait(false),
            await blocks.ConfigureAwait(false) ?? [])
        {
            Unreadable = new Dictionary<string, string>(unreadable, StringComparer.Ordinal),
            WebhookServiceEndpoints = services ?? new Dictionary<string, int?>(),
            WebhookDryRuns = dryRuns,
        };
    }

    /// <summary>Only the names of keys with a value leave this method; the Secret's data is dropped here.</summary>
    private static async Task<IReadOnlyList<string>?> SecretKeysAsync(KubeClient client, CancellationToken cancellationToken)
    {
        var secret = await client.Api.CoreV1.ReadNamespacedSecretAsync(PresharedKey.SecretName, WellKnown.WorkingNamespace, cancellationToken: cancellationToken)
            .NullIfNotFound().ConfigureAwait(false);
        return secret is null ? null : [.. (secret.Data ?? new Dictionary<string, byte[]>()).Where(d => d.Value is { Length: > 0 }).Select(d => d.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>Null when the server has no admissionregistration.k8s.io (the embedded server admits Gateways in-process).</summary>
    private static async Task<IReadOnlyList<WebhookConfiguration>?> WebhooksAsync(KubeClient client, CancellationToken cancellationToken)
    {
        var admission = client.Api.AdmissionregistrationV1;
        var validating = await admission.ListValidatingWebhookConfigurationAsync(cancellationToken: cancellationToken).NullIfNotFound().ConfigureAwait(false);
        if (validating is null)
        {
            return null;
        }

        var mutating = await admission.ListMutatingWebhookConfigurationAsync(cancellationToken: cancellationToken).NullIfNotFound().ConfigureAwait(false);
        return
        [
            .. validating.Items.SelectMany(c => (c.Webhooks ?? []).Select(w => Webhook("ValidatingWebhookConfiguration", c.Metadata, w.Name, w.Rules, w.ClientConfig))),
            .. (mutating?.Items ?? []).SelectMany(c => (c.Webhooks ?? []).Select(w => Webhook("MutatingWebhookConfiguration", c.Metadata, w.Name, w.Rules, w.ClientConfig))),
        ];
    }

    /// <summary>Ready endpoints of each Service a raven.openyurt.io webhook calls (EndpointSlices, as the API server's proxy uses).</summary>
    private static async Task<IReadOnlyDictionary<string, int?>?> ServiceEndpointsAsync(KubeClient client, IReadOnlyList<WebhookConfiguration> webhooks, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, int?>(StringComparer.Ordinal);
        var refs = webhooks.Where(w => w.Groups.Contains(WellKnown.Group) && w.ServiceRef is not null).Select(w => w.ServiceRef!.Value).Distinct();
        foreach (var (ns, name) in refs)
        {
            var service = await client.Api.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken).NullIfNotFound().ConfigureAwait(false);
            if (service is null)
            {
                result[$"{ns}/{name}"] = null;
                continue;
            }

            var slices = await client.Api.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, labelSelector: "kubernetes.io/service-name=" + name, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            result[$"{ns}/{name}"] = slices.Items.SelectMany(s => s.Endpoints ?? []).Count(e => e.Conditions?.Ready != false);
        }

        return result;
    }

    private static WebhookConfiguration Webhook(string kind, V1ObjectMeta meta, string name, IList<V1RuleWithOperations>? rules, Admissionregistrationv1WebhookClientConfig? client) =>
        new(kind, meta?.Name ?? "", name, [.. (rules ?? []).SelectMany(r => r.ApiGroups ?? []).Distinct(StringComparer.Ordinal)],
            client?.CaBundle is { Length: > 0 } ca ? ca : null,
            client?.Service is { } service ? $"{service.NamespaceProperty}/{service.Name}" : client?.Url)
        {
            ServiceRef = client?.Service is { } s ? (s.NamespaceProperty, s.Name) : null,
        };

    /// <summary>
    /// Dry-run creates (nothing is stored) of a minimal Gateway: in v1beta1 when admission webhooks for the group
    /// exist, and in v1alpha1 too when the CRD converts through a webhook. The server calls every such webhook on a
    /// dry run, so its answer is the webhooks' reachability as the server sees it (TLS and CA bundle included).
    /// </summary>
    internal static async Task<IReadOnlyList<WebhookDryRun>> WebhookDryRunsAsync(KubeClient client, IReadOnlyList<WebhookConfiguration>? webhooks,
        V1CustomResourceDefinition? crd, CancellationToken cancellationToken)
    {
        var name = $"raven-diagnose-dry-run-{Guid.NewGuid().ToString("N")[..8]}";
        var calls = new List<Task<WebhookDryRun>>();
        if (webhooks?.Any(w => w.Groups.Contains(WellKnown.Group)) == true)
        {
            calls.Add(DryRunAsync(WellKnown.V1Beta1, () => client.CustomObjects(KubeResources.Gateways).CreateAsync(new Api.V1Beta1.Gateway
            {
                Metadata = new Api.Meta.ObjectMeta { Name = name },
                Spec = new Api.V1Beta1.GatewaySpec { Endpoints = [] },
            }, cancellationToken, dryRun: true)));
        }

        if (crd?.Spec?.Conversion?.Strategy == "Webhook")
        {
            calls.Add(DryRunAsync(WellKnown.V1Alpha1, () => client.CustomObjects(KubeResources.GatewaysV1Alpha1).CreateAsync(new Api.V1Alpha1.Gateway
            {
                Metadata = new Api.Meta.ObjectMeta { Name = name },
                Spec = new Api.V1Alpha1.GatewaySpec { Endpoints = [] },
            }, cancellationToken, dryRun: true)));
        }

        return await Task.WhenAll(calls).ConfigureAwait(false);
    }

    private static async Task<WebhookDryRun> DryRunAsync<T>(string version, Func<Task<T>> create)
    {
        try
        {
            await create().ConfigureAwait(false);
            return new WebhookDryRun(version, Admitted: true);
        }
        catch (Exception e) when (e.IsApiError())
        {
            return new WebhookDryRun(version, Admitted: false, (int)(KubeErrors.Code(e) ?? 0), KubeErrors.StatusOf(e)?.Message ?? KubeErrors.Describe(e));
        }
    }

    private static async Task<T?> Soft<T>(string what, Task<T?> request, ConcurrentDictionary<string, string> unreadable)
        where T : class
    {
        try
        {
            return await request.ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (KubeErrors.Code(e) == HttpStatusCode.Forbidden)
        {
            unreadable[what] = KubeErrors.Describe(e);
            return null;
        }
    }
}
