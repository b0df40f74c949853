using k8s;
using k8s.Autorest;
using k8s.Models;
using Raven.Api;
using Raven.Kube.Client;

namespace Raven.Controller.Services;

/// <summary>
/// Makes a Service and its same-named Endpoints match a <see cref="DesiredService"/>: creates what is missing,
/// updates only the fields Raven owns on the live object (clusterIP, healthCheckNodePort and friends are kept),
/// and writes nothing when they already match.
/// </summary>
public sealed class ServiceWriter(KubeClient client)
{
    private ICoreV1Operations Core => client.Api.CoreV1;

    public async Task EnsureAsync(DesiredService desired, V1Service? liveService, V1Endpoints? liveEndpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var service = liveService is null ? new V1Service { Metadata = new() { Name = desired.Name, NamespaceProperty = WellKnown.WorkingNamespace } } : Copy(liveService);
        var before = KubernetesJson.Serialize(service);
        service.Metadata.Labels = Merge(service.Metadata.Labels, desired.Labels);
        service.Metadata.Annotations = Merge(service.Metadata.Annotations, desired.Annotations);
        service.Spec ??= new V1ServiceSpec();
        service.Spec.Type = desired.Type;
        service.Spec.ExternalTrafficPolicy = desired.ExternalTrafficPolicy ?? service.Spec.ExternalTrafficPolicy;
        service.Spec.Selector = null; // Endpoints are managed by hand
        service.Spec.Ports = desired.Ports.Select(p => new V1ServicePort
        {
            Name = p.Name.Length == 0 ? null : p.Name,
            Protocol = p.Protocol,
            Port = p.Port,
            TargetPort = p.TargetPort,
            NodePort = liveService?.Spec?.Ports?.FirstOrDefault(l => l.Port == p.Port && l.Protocol == p.Protocol)?.NodePort,
        }).ToList();
        if (liveService is null)
        {
            await Core.CreateNamespacedServiceAsync(service, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (KubernetesJson.Serialize(service) != before)
        {
            await Core.ReplaceNamespacedServiceAsync(service, desired.Name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await EnsureEndpointsAsync(desired, liveEndpoints, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var delete in new Func<Task>[]
                 {
                     () => Core.DeleteNamespacedEndpointsAsync(name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken),
                     () => Core.DeleteNamespacedServiceAsync(name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken),
                 })
        {
            try
            {
                await delete().ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                // already gone
            }
        }
    }

    private async Task EnsureEndpointsAsync(DesiredService desired, V1Endpoints? live, CancellationToken cancellationToken)
    {
        var endpoints = live is null ? new V1Endpoints { Metadata = new() { Name = desired.Name, NamespaceProperty = WellKnown.WorkingNamespace } } : Copy(live);
        var before = KubernetesJson.Serialize(endpoints);
        endpoints.Metadata.Labels = Merge(endpoints.Metadata.Labels, desired.Labels);
        // No addresses means no backends: an empty subset list, never stale addresses (upstream keeps them).
        endpoints.Subsets = desired.Addresses.Count == 0 ? null :
        [
            new V1EndpointSubset
            {
                Addresses = desired.Addresses.Select(a => new V1EndpointAddress { Ip = a.Ip, NodeName = a.NodeName }).ToList(),
                Ports = desired.Ports.Select(p => new Corev1EndpointPort { Name = p.Name.Length == 0 ? null : p.Name, Port = p.TargetPort, Protocol = p.Protocol }).ToList(),
            },
        ];
        if (live is null)
        {
            await Core.CreateNamespacedEndpointsAsync(endpoints, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (KubernetesJson.Serialize(endpoints) != before)
        {
            await Core.ReplaceNamespacedEndpointsAsync(endpoints, desired.Name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string> Merge(IDictionary<string, string>? existing, IReadOnlyDictionary<string, string> wanted)
    {
        var merged = existing is null ? new Dictionary<string, string>() : new Dictionary<string, string>(existing);
        foreach (var (key, value) in wanted)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static T Copy<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
