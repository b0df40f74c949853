using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Raven.Api;
using Raven.Api.Benchmark;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;

namespace Raven.Agent.Benchmark;

/// <summary>
/// The request ConfigMaps through an informer (kube-system, label raven.openyurt.io/benchmark=request: the agent's
/// existing list/watch), and the result ConfigMap through create (the agent's one write on ConfigMaps), owned by the
/// request so deleting the request removes it.
/// </summary>
public sealed class KubeBenchmarkRequests : IBenchmarkRequests
{
    private readonly KubeClient _client;
    private readonly Informer<V1ConfigMap> _informer;

    public KubeBenchmarkRequests(KubeClient client, ILogger? logger = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _informer = new Informer<V1ConfigMap>(client, KubeResources.ConfigMaps, new InformerOptions
        {
            Namespace = WellKnown.WorkingNamespace,
            LabelSelector = $"{BenchmarkRequest.Label}={BenchmarkRequest.RequestRole}",
        }, logger);
        _informer.AddHandler(new InformerHandler<V1ConfigMap>(_ => Raise(), (_, _) => Raise(), _ => Raise()));
    }

    public event EventHandler? Changed;

    public IReadOnlyList<(string Name, IReadOnlyDictionary<string, string>? Data)> Current =>
        [.. _informer.Store.List().Select(c => (c.Metadata.Name, (IReadOnlyDictionary<string, string>?)c.Data?.AsReadOnly()))];

    public Task RunAsync(CancellationToken cancellationToken) => _informer.RunAsync(cancellationToken);

    public async Task WriteResultAsync(BenchmarkRequest request, BenchmarkResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var owner = _informer.Store.Get(WellKnown.WorkingNamespace, request.Name);
        var map = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = request.ResultName,
                NamespaceProperty = WellKnown.WorkingNamespace,
                Labels = new Dictionary<string, string> { [BenchmarkRequest.Label] = BenchmarkRequest.ResultRole },
                OwnerReferences = owner?.Metadata?.Uid is { } uid
                    ? [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = request.Name, Uid = uid }]
                    : null,
            },
            Data = new Dictionary<string, string> { [BenchmarkResult.DataKey] = result.Serialize() },
        };
        try
        {
            await _client.Api.CoreV1.CreateNamespacedConfigMapAsync(map, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Written already (by this node's previous agent): the first result stands.
        }
    }

    private void Raise() => Changed?.Invoke(this, EventArgs.Empty);
}
