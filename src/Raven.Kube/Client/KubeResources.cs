using k8s.Models;
using Raven.Api;
using Raven.Kube.Models;

namespace Raven.Kube.Client;

/// <summary>The kinds Raven lists and watches.</summary>
public static class KubeResources
{
    public static BuiltinResource<V1Node, V1NodeList> Nodes { get; } = new("", "v1", "nodes", "Node", namespaced: false);
    public static BuiltinResource<V1ConfigMap, V1ConfigMapList> ConfigMaps { get; } = new("", "v1", "configmaps", "ConfigMap", namespaced: true);
    public static BuiltinResource<V1Secret, V1SecretList> Secrets { get; } = new("", "v1", "secrets", "Secret", namespaced: true);
    public static BuiltinResource<V1Service, V1ServiceList> Services { get; } = new("", "v1", "services", "Service", namespaced: true);
    public static BuiltinResource<V1Endpoints, V1EndpointsList> Endpoints { get; } = new("", "v1", "endpoints", "Endpoints", namespaced: true);
    public static BuiltinResource<V1EndpointSlice, V1EndpointSliceList> EndpointSlices { get; } =
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", namespaced: true);
    public static BuiltinResource<V1Lease, V1LeaseList> Leases { get; } = new("coordination.k8s.io", "v1", "leases", "Lease", namespaced: true);
    public static BuiltinResource<V1CertificateSigningRequest, V1CertificateSigningRequestList> CertificateSigningRequests { get; } =
        new("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", namespaced: false);

    public static RavenResource<Api.V1Beta1.Gateway> Gateways { get; } =
        new(WellKnown.Group, WellKnown.V1Beta1, WellKnown.GatewayPlural, WellKnown.GatewayKind, false, g => g.Metadata);

    public static RavenResource<Api.V1Alpha1.Gateway> GatewaysV1Alpha1 { get; } =
        new(WellKnown.Group, WellKnown.V1Alpha1, WellKnown.GatewayPlural, WellKnown.GatewayKind, false, g => g.Metadata);

    public static RavenResource<BlockAffinity> BlockAffinities { get; } =
        new("crd.projectcalico.org", "v1", "blockaffinities", "BlockAffinity", false, b => b.Metadata);
}
