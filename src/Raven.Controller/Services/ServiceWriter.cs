using System.Text.Json;
using Raven.Api;
using Raven.Api.Json;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Controller.Services;

/// <summary>
/// Makes a Service and its same-named Endpoints match a <see cref="DesiredService"/>: creates what is missing,
/// updates only the fields Raven owns on the live object (clusterIP, healthCheckNodePort and friends are kept),
/// and writes nothing when they already match.
/// </summary>
public sealed class ServiceWriter(KubeClient client)
{
    private readonly ResourceClient<Service> _services = client.Resource(KubeResources.Service);
    private readonly ResourceClient<Endpoints> _endpoints = client.Resource(KubeResources.Endpoints);

    public async Task EnsureAsync(DesiredService desired, Service? liveService, Endpoints? liveEndpoints, CancellationToken cancellationToken)
    {
        var service = liveService is null ? new Service { Metadata = new() { Name = desired.Name, Namespace = WellKnown.WorkingNamespace } } : Copy(liveService);
        var before = RavenJson.Serialize(service);
        service.Metadata.Labels = Merge(service.Metadata.Labels, desired.Labels);
        service.Metadata.Annotations = Merge(service.Metadata.Annotations, desired.Annotations);
        service.Spec.Type = desired.Type;
        service.Spec.ExternalTrafficPolicy = desired.ExternalTrafficPolicy ?? service.Spec.ExternalTrafficPolicy;
        service.Spec.Selector = null; // Endpoints are managed by hand
        service.Spec.Ports = desired.Ports.Select(p => new ServicePort
        {
            Name = p.Name.Length == 0 ? null : p.Name,
            Protocol = p.Protocol,
            Port = p.Port,
            TargetPort = JsonSerializer.SerializeToElement(p.TargetPort),
            NodePort = liveService?.Spec.Ports?.FirstOrDefault(l => l.Port == p.Port && l.Protocol == p.Protocol)?.NodePort ?? 0,
        }).ToList();
        if (liveService is null)
        {
            await _services.CreateAsync(service, cancellationToken).ConfigureAwait(false);
        }
        else if (RavenJson.Serialize(service) != before)
        {
            await _services.UpdateAsync(service, cancellationToken).ConfigureAwait(false);
        }

        await EnsureEndpointsAsync(desired, liveEndpoints, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var delete in new Func<Task>[]
                 {
                     () => _endpoints.DeleteAsync(name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken),
                     () => _services.DeleteAsync(name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken),
                 })
        {
            try
            {
                await delete().ConfigureAwait(false);
            }
            catch (KubeNotFoundException)
            {
                // already gone
            }
        }
    }

    private async Task EnsureEndpointsAsync(DesiredService desired, Endpoints? live, CancellationToken cancellationToken)
    {
        var endpoints = live is null ? new Endpoints { Metadata = new() { Name = desired.Name, Namespace = WellKnown.WorkingNamespace } } : Copy(live);
        var before = RavenJson.Serialize(endpoints);
        endpoints.Metadata.Labels = Merge(endpoints.Metadata.Labels, desired.Labels);
        // No addresses means no backends: an empty subset list, never stale addresses (upstream keeps them).
        endpoints.Subsets = desired.Addresses.Count == 0 ? null :
        [
            new EndpointSubset
            {
                Addresses = desired.Addresses.Select(a => new EndpointAddress { IP = a.Ip, NodeName = a.NodeName }).ToList(),
                Ports = desired.Ports.Select(p => new EndpointPort { Name = p.Name.Length == 0 ? null : p.Name, Port = p.TargetPort, Protocol = p.Protocol }).ToList(),
            },
        ];
        if (live is null)
        {
            await _endpoints.CreateAsync(endpoints, cancellationToken).ConfigureAwait(false);
        }
        else if (RavenJson.Serialize(endpoints) != before)
        {
            await _endpoints.UpdateAsync(endpoints, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string>? existing, IReadOnlyDictionary<string, string> wanted)
    {
        var merged = existing is null ? new Dictionary<string, string>() : new Dictionary<string, string>(existing);
        foreach (var (key, value) in wanted)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static T Copy<T>(T value) => RavenJson.Deserialize<T>(RavenJson.Serialize(value));
}
