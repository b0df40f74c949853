using k8s.Models;

namespace Raven.ApiServer;

/// <summary>The built-in resources the embedded server serves, with the scopes and names real Kubernetes uses.</summary>
internal static class BuiltinResources
{
    public static readonly ResourceType Namespaces = Core("namespaces", "namespace", "Namespace", false, ["ns"], status: true) with { Model = typeof(V1Namespace) };
    public static readonly ResourceType Nodes = Core("nodes", "node", "Node", false, ["no"], status: true) with { Model = typeof(V1Node) };
    public static readonly ResourceType ConfigMaps = Core("configmaps", "configmap", "ConfigMap", true, ["cm"]) with { Model = typeof(V1ConfigMap) };
    public static readonly ResourceType Secrets = Core("secrets", "secret", "Secret", true, []) with { Model = typeof(V1Secret) };
    public static readonly ResourceType Services = Core("services", "service", "Service", true, ["svc"], status: true) with { Model = typeof(V1Service) };
    public static readonly ResourceType Endpoints = Core("endpoints", "endpoints", "Endpoints", true, ["ep"]) with { Model = typeof(V1Endpoints) };
    public static readonly ResourceType Pods = Core("pods", "pod", "Pod", true, ["po"], status: true) with { Model = typeof(V1Pod) };
    public static readonly ResourceType Events = Core("events", "event", "Event", true, ["ev"]) with { Model = typeof(Corev1Event) };

    public static readonly ResourceType Leases = Grouped("coordination.k8s.io", "leases", "lease", "Lease", true, []) with { Model = typeof(V1Lease) };
    public static readonly ResourceType EndpointSlices = Grouped("discovery.k8s.io", "endpointslices", "endpointslice", "EndpointSlice", true, []) with { Model = typeof(V1EndpointSlice) };

    public static readonly ResourceType CertificateSigningRequests =
        Grouped("certificates.k8s.io", "certificatesigningrequests", "certificatesigningrequest", "CertificateSigningRequest", false,
            ["csr"]) with { HasStatus = true, HasApproval = true, Model = typeof(V1CertificateSigningRequest) };

    public static readonly ResourceType CustomResourceDefinitions =
        Grouped("apiextensions.k8s.io", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false,
            ["crd", "crds"]) with { HasStatus = true, Model = typeof(V1CustomResourceDefinition) };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Nodes, ConfigMaps, Secrets, Services, Endpoints, Pods, Events,
        Leases, EndpointSlices, CertificateSigningRequests, CustomResourceDefinitions,
    ];

    private static ResourceType Core(string plural, string singular, string kind, bool namespaced, string[] shortNames, bool status = false) =>
        Grouped("", plural, singular, kind, namespaced, shortNames) with { HasStatus = status };

    private static ResourceType Grouped(string group, string plural, string singular, string kind, bool namespaced, string[] shortNames) =>
        new()
        {
            Group = group,
            Plural = plural,
            Singular = singular,
            Kind = kind,
            Namespaced = namespaced,
            Versions = ["v1"],
            StorageVersion = "v1",
            ShortNames = shortNames,
        };
}
