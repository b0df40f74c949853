namespace Raven.ApiServer;

/// <summary>The built-in resources the embedded server serves, with the scopes and names real Kubernetes uses.</summary>
internal static class BuiltinResources
{
    public static readonly ResourceType Namespaces = Core("namespaces", "namespace", "Namespace", false, ["ns"], status: true);
    public static readonly ResourceType Nodes = Core("nodes", "node", "Node", false, ["no"], status: true);
    public static readonly ResourceType ConfigMaps = Core("configmaps", "configmap", "ConfigMap", true, ["cm"]);
    public static readonly ResourceType Secrets = Core("secrets", "secret", "Secret", true, []);
    public static readonly ResourceType Services = Core("services", "service", "Service", true, ["svc"], status: true);
    public static readonly ResourceType Endpoints = Core("endpoints", "endpoints", "Endpoints", true, ["ep"]);
    public static readonly ResourceType Pods = Core("pods", "pod", "Pod", true, ["po"], status: true);
    public static readonly ResourceType Events = Core("events", "event", "Event", true, ["ev"]);

    public static readonly ResourceType Leases = Grouped("coordination.k8s.io", "leases", "lease", "Lease", true, []);
    public static readonly ResourceType EndpointSlices = Grouped("discovery.k8s.io", "endpointslices", "endpointslice", "EndpointSlice", true, []);

    public static readonly ResourceType CertificateSigningRequests =
        Grouped("certificates.k8s.io", "certificatesigningrequests", "certificatesigningrequest", "CertificateSigningRequest", false,
            ["csr"]) with { HasStatus = true, HasApproval = true };

    public static readonly ResourceType CustomResourceDefinitions =
        Grouped("apiextensions.k8s.io", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false,
            ["crd", "crds"]) with { HasStatus = true };

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
