using Microsoft.Extensions.Logging;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using k8s.Models;
using Raven.Kube.Models;

namespace Raven.Agent.Engine;

/// <summary>
/// Inputs from the API server: informers for v1beta1 Gateways, kube-system/raven-agent-config and the kube-system
/// tunnel Services (for LoadBalancer public IPs). Every add/update/delete raises <see cref="Changed"/>.
/// </summary>
public sealed class KubeAgentInputs : IAgentInputs
{
    private readonly Informer<Gateway> _gateways;
    private readonly Informer<V1ConfigMap> _configMaps;
    private readonly Informer<V1Service> _services;

    public KubeAgentInputs(KubeClient client, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _gateways = new Informer<Gateway>(client, KubeResources.Gateways, new InformerOptions(), logger);
        _configMaps = new Informer<V1ConfigMap>(client, KubeResources.ConfigMaps, new InformerOptions
        {
            Namespace = WellKnown.WorkingNamespace,
            FieldSelector = $"metadata.name={WellKnown.RavenAgentConfig}",
        }, logger);
        _services = new Informer<V1Service>(client, KubeResources.Services, new InformerOptions
        {
            Namespace = WellKnown.WorkingNamespace,
            LabelSelector = $"{WellKnown.GatewayTypeLabel}={WellKnown.EndpointTypeTunnel}",
        }, logger);
        _gateways.AddHandler(Handler<Gateway>());
        _configMaps.AddHandler(Handler<V1ConfigMap>());
        _services.AddHandler(Handler<V1Service>());
        _gateways.FailingChanged += _ => Raise();
        _configMaps.FailingChanged += _ => Raise();
        _services.FailingChanged += _ => Raise();
    }

    public event EventHandler? Changed;

    public AgentSnapshot Current => new(
        _gateways.Store.List().OrderBy(g => g.Name, StringComparer.Ordinal).ToList(),
        _configMaps.Store.Get(WellKnown.WorkingNamespace, WellKnown.RavenAgentConfig).ReadOnlyData() ?? new Dictionary<string, string>(),
        _services.Store.List());

    public string? StaleReason =>
        Stale("Gateway", _gateways.FailingSince) ?? Stale("ConfigMap", _configMaps.FailingSince) ?? Stale("Service", _services.FailingSince);

    private static string? Stale(string kind, DateTimeOffset? failingSince) =>
        failingSince is { } since ? $"the {kind} list/watch has been failing since {since:yyyy-MM-ddTHH:mm:ssZ}" : null;

    public async Task WaitForSyncAsync(CancellationToken cancellationToken)
    {
        await _gateways.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        await _configMaps.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        await _services.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the informers until cancelled (they log and retry API failures themselves).</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_gateways.RunAsync(cancellationToken), _configMaps.RunAsync(cancellationToken), _services.RunAsync(cancellationToken));

    private InformerHandler<T> Handler<T>() =>
        new(_ => Raise(), (_, _) => Raise(), _ => Raise());

    private void Raise() => Changed?.Invoke(this, EventArgs.Empty);
}
