using Raven.Api;
using Raven.Api.Meta;
using Raven.Kube.Models;

namespace Raven.Kube.Client;

/// <summary>The resource types Raven talks to, and a lookup from model type to descriptor.</summary>
public static class KubeResources
{
    public static ResourceDescriptor<Node> Node { get; } = Core<Node>("nodes", "Node", namespaced: false);
    public static ResourceDescriptor<Namespace> Namespace { get; } = Core<Namespace>("namespaces", "Namespace", namespaced: false);
    public static ResourceDescriptor<ConfigMap> ConfigMap { get; } = Core<ConfigMap>("configmaps", "ConfigMap", namespaced: true);
    public static ResourceDescriptor<Secret> Secret { get; } = Core<Secret>("secrets", "Secret", namespaced: true);
    public static ResourceDescriptor<Service> Service { get; } = Core<Service>("services", "Service", namespaced: true);
    public static ResourceDescriptor<Endpoints> Endpoints { get; } = Core<Endpoints>("endpoints", "Endpoints", namespaced: true);
    public static ResourceDescriptor<Pod> Pod { get; } = Core<Pod>("pods", "Pod", namespaced: true);
    public static ResourceDescriptor<Event> Event { get; } = Core<Event>("events", "Event", namespaced: true);

    public static ResourceDescriptor<EndpointSlice> EndpointSlice { get; } =
        Typed<EndpointSlice>("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", namespaced: true);

    public static ResourceDescriptor<Lease> Lease { get; } =
        Typed<Lease>("coordination.k8s.io", "v1", "leases", "Lease", namespaced: true);

    public static ResourceDescriptor<CertificateSigningRequest> CertificateSigningRequest { get; } =
        Typed<CertificateSigningRequest>("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", namespaced: false);

    public static ResourceDescriptor<BlockAffinity> BlockAffinity { get; } =
        Typed<BlockAffinity>("crd.projectcalico.org", "v1", "blockaffinities", "BlockAffinity", namespaced: false);

    public static ResourceDescriptor<Api.V1Beta1.Gateway> GatewayV1Beta1 { get; } =
        new(WellKnown.Group, WellKnown.V1Beta1, WellKnown.GatewayPlural, WellKnown.GatewayKind, false, g => g.Metadata);

    public static ResourceDescriptor<Api.V1Alpha1.Gateway> GatewayV1Alpha1 { get; } =
        new(WellKnown.Group, WellKnown.V1Alpha1, WellKnown.GatewayPlural, WellKnown.GatewayKind, false, g => g.Metadata);

    private static readonly Dictionary<Type, ResourceDescriptor> ByType = new()
    {
        [typeof(Node)] = Node,
        [typeof(Namespace)] = Namespace,
        [typeof(ConfigMap)] = ConfigMap,
        [typeof(Secret)] = Secret,
        [typeof(Service)] = Service,
        [typeof(Endpoints)] = Endpoints,
        [typeof(Pod)] = Pod,
        [typeof(Event)] = Event,
        [typeof(EndpointSlice)] = EndpointSlice,
        [typeof(Lease)] = Lease,
        [typeof(CertificateSigningRequest)] = CertificateSigningRequest,
        [typeof(BlockAffinity)] = BlockAffinity,
        [typeof(Api.V1Beta1.Gateway)] = GatewayV1Beta1,
        [typeof(Api.V1Alpha1.Gateway)] = GatewayV1Alpha1,
    };

    /// <summary>The descriptor registered for <typeparamref name="T"/>.</summary>
    public static ResourceDescriptor<T> For<T>() =>
        ByType.TryGetValue(typeof(T), out var descriptor)
            ? (ResourceDescriptor<T>)descriptor
            : throw new InvalidOperationException($"no resource descriptor is registered for {typeof(T).Name}; pass one explicitly");

    private static ResourceDescriptor<T> Core<T>(string plural, string kind, bool namespaced)
        where T : IKubeObject => Typed<T>("", "v1", plural, kind, namespaced);

    private static ResourceDescriptor<T> Typed<T>(string group, string version, string plural, string kind, bool namespaced)
        where T : IKubeObject => new(group, version, plural, kind, namespaced, static o => o.Metadata);
}
