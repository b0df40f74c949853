using k8s.Models;
using Raven.Cli.Status;
using Raven.Kube.Models;

namespace Raven.Cli.Diagnose;

/// <summary>
/// What `raven diagnose` reads on top of the status snapshot. Absent objects are null, so every check can tell
/// "missing" from "empty". The agent Secret is reduced to the names of its non-empty keys while loading: its values
/// never enter the snapshot, so no output can show them.
/// </summary>
/// <param name="Crd">CustomResourceDefinition gateways.raven.openyurt.io.</param>
/// <param name="AgentConfig">kube-system/raven-agent-config data.</param>
/// <param name="AgentSecretKeys">Keys of kube-system/raven-agent-secret that hold a value.</param>
/// <param name="Webhooks">Validating and mutating webhook configurations; null when the server serves no admissionregistration.k8s.io.</param>
/// <param name="CalicoBlocks">Calico block affinities (pod CIDRs of Calico nodes); empty without Calico.</param>
public sealed record DiagnoseSnapshot(
    ClusterSnapshot Cluster,
    V1CustomResourceDefinition? Crd,
    IReadOnlyDictionary<string, string>? AgentConfig,
    IReadOnlyList<string>? AgentSecretKeys,
    IReadOnlyList<WebhookConfiguration>? Webhooks,
    IReadOnlyList<BlockAffinity> CalicoBlocks)
{
    /// <summary>Objects the credentials may not read (kind → the server's answer); their checks warn instead of guessing.</summary>
    public IReadOnlyDictionary<string, string> Unreadable { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Per Service the raven.openyurt.io webhooks call ("namespace/name"): its ready endpoints, null when the Service
    /// does not exist. Calling the webhook from here would need a route into the cluster; ready endpoints are what the
    /// API server's call depends on.
    /// </summary>
    public IReadOnlyDictionary<string, int?> WebhookServiceEndpoints { get; init; } = new Dictionary<string, int?>();

    /// <summary>
    /// The API server's answers to dry-run creates of a minimal Gateway, one per version whose admission goes through
    /// a webhook: the one call that shows the server can reach the webhooks, whatever lies between them. Empty when
    /// there was no webhook to call.
    /// </summary>
    public IReadOnlyList<WebhookDryRun> WebhookDryRuns { get; init; } = [];
}

/// <summary>A dry-run create of a Gateway in <paramref name="Version"/>: admitted, or the server's status code and message.</summary>
public sealed record WebhookDryRun(string Version, bool Admitted, int HttpStatus = 0, string Message = "");

/// <summary>One admission webhook of a configuration, as far as diagnosis needs it.</summary>
/// <param name="Kind">ValidatingWebhookConfiguration or MutatingWebhookConfiguration.</param>
/// <param name="Groups">API groups its rules match.</param>
/// <param name="CaBundle">clientConfig.caBundle (PEM bytes); null when not set.</param>
/// <param name="Service">"namespace/name" of the Service it calls, or its URL.</param>
public sealed record WebhookConfiguration(string Kind, string Name, string Webhook, IReadOnlyList<string> Groups, byte[]? CaBundle, string? Service)
{
    /// <summary>The Service it calls; null for a URL webhook.</summary>
    public (string Namespace, string Name)? ServiceRef { get; init; }
}
