using k8s.Models;
using Microsoft.Extensions.Logging;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Config;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Controller.Reconcilers;

/// <summary>
/// The L7 proposal's config controller: Gateways from kube-system/raven-cfg (gateway-replicas, l7-proxy-port,
/// exposed-gateway, gateway-nodes), written by server-side apply as their own field manager. Problems become
/// Warning events on the ConfigMap; a malformed key changes no Gateway at all.
/// </summary>
public sealed class ConfigReconciler(ClusterCache cache, KubeClient client, EventQueue events, ILogger logger) : IReconciler
{
    public const string Key = "raven-cfg";
    public const string FieldManager = "raven-config-controller";
    public const string ReasonInvalid = "InvalidRavenConfig";
    public const string ReasonUnknownKey = "UnknownRavenConfigKey";
    public const string ReasonNotApplied = "GatewayNotConfigured";

    private readonly CustomObjectClient<Gateway> _gateways = client.CustomObjects(KubeResources.Gateways);

    // Warnings already recorded for this ConfigMap version: a resync or a Gateway event does not repeat them.
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private string? _reportedVersion;

    public string Name => "gateway-config";

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        // No raven-cfg (deleted, or about to be re-created): leave every Gateway as it is rather than delete.
        if (cache.ConfigMap(WellKnown.RavenGlobalConfig) is not { } configMap)
        {
            return null;
        }

        if (configMap.Metadata.ResourceVersion != _reportedVersion)
        {
            _reported.Clear();
            _reportedVersion = configMap.Metadata.ResourceVersion;
        }

        var config = RavenConfigParser.Parse(configMap.ReadOnlyData());
        foreach (var problem in config.Problems)
        {
            Warn(configMap, problem.IsError ? ReasonInvalid : ReasonUnknownKey, problem.Message);
        }

        if (!config.IsUsable)
        {
            return null;
        }

        var live = cache.Gateways.Store.List();
        foreach (var action in GatewayConfigPlanner.Plan(config, live))
        {
            var current = live.FirstOrDefault(g => g.Name == action.Gateway);
            try
            {
                if (action.Apply is null)
                {
                    logger.LogInformation("raven-cfg no longer lists Gateway {Gateway} in gateway-nodes: deleting it", action.Gateway);
                    await _gateways.DeleteAsync(action.Gateway, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else if (AppliedFields.NeedsApply(current, action.Apply, FieldManager))
                {
                    logger.LogInformation("{Verb} Gateway {Gateway} from raven-cfg", current is null ? "creating" : "configuring", action.Gateway);
                    await _gateways.ApplyAsync(action.Gateway, null, action.Apply, FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e.IsNotFound() && action.Apply is null)
            {
                // already gone
            }
            catch (k8s.Autorest.HttpOperationException e) when ((int)e.Response.StatusCode is 400 or 403 or 409 or 422)
            {
                // The server refused this Gateway as a whole (nothing of it was written): say why on the ConfigMap.
                var message = $"raven-cfg: Gateway {action.Gateway} was not {(action.Apply is null ? "deleted" : "configured")}: {StatusMessage(e)}";
                Warn(configMap, ReasonNotApplied, message);
            }
        }

        return null;
    }

    private void Warn(V1ConfigMap configMap, string reason, string message)
    {
        if (!_reported.Add(reason + "\n" + message))
        {
            return;
        }

        logger.LogWarning("{Reason}: {Message}", reason, message);
        var involved = new V1ObjectReference
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Name = configMap.Metadata.Name,
            NamespaceProperty = configMap.Metadata.NamespaceProperty ?? WellKnown.WorkingNamespace,
            Uid = configMap.Metadata.Uid,
            ResourceVersion = configMap.Metadata.ResourceVersion,
        };
        events.Post(involved, EventRecorder.TypeWarning, reason, message);
    }

    private static string StatusMessage(k8s.Autorest.HttpOperationException e)
    {
        var content = e.Response.Content ?? "";
        try
        {
            return System.Text.Json.JsonDocument.Parse(content).RootElement.GetProperty("message").GetString() ?? content;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return content.Length > 0 ? content : e.Message;
        }
    }
}
