using k8s.Models;

namespace Raven.ApiServer;

/// <summary>The built-in resources the embedded server serves, with the scopes and names real Kubernetes uses.</summary>
internal static class BuiltinResources
{
    private const string Rbac = "rbac.authorization.k8s.io";

    public static readonly ResourceType Namespaces = Core("namespaces", "namespace", "Namespace", false, ["ns"], status: true) with { Model = typeof(V1Namespace) };
    public static readonly ResourceType Nodes = Core("nodes", "node", "Node", false, ["no"], status: true) with { Model = typeof(V1Node) };
    public static readonly ResourceType ConfigMaps = Core("configmaps", "configmap", "ConfigMap", true, ["cm"]) with { Model = typeof(V1ConfigMap) };
    public static readonly ResourceType Secrets = Core("secrets", "secret", "Secret", true, []) with { Model = typeof(V1Secret) };
    public static readonly ResourceType Services = Core("services", "service", "Service", true, ["svc"], status: true) with { Model = typeof(V1Service), Categories = ["all"] };
    public static readonly ResourceType Endpoints = Core("endpoints", "endpoints", "Endpoints", true, ["ep"]) with { Model = typeof(V1Endpoints) };
    public static readonly ResourceType Pods = Core("pods", "pod", "Pod", true, ["po"], status: true) with { Model = typeof(V1Pod), Categories = ["all"] };
    public static readonly ResourceType Events = Core("events", "event", "Event", true, ["ev"]) with { Model = typeof(Corev1Event) };

    public static readonly ResourceType ServiceAccounts =
        Core("serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"]) with { Model = typeof(V1ServiceAccount), HasToken = true };

    public static readonly ResourceType DaemonSets =
        Grouped("apps", "daemonsets", "daemonset", "DaemonSet", true, ["ds"]) with { HasStatus = true, Model = typeof(V1DaemonSet), Categories = ["all"] };

    public static readonly ResourceType Deployments =
        Grouped("apps", "deployments", "deployment", "Deployment", true, ["deploy"]) with { HasStatus = true, Model = typeof(V1Deployment), Categories = ["all"] };

    public static readonly ResourceType Roles = Grouped(Rbac, "roles", "role", "Role", true, []) with { Model = typeof(V1Role) };

    public static readonly ResourceType ClusterRoles = Grouped(Rbac, "clusterroles", "clusterrole", "ClusterRole", false, []) with { Model = typeof(V1ClusterRole) };

    public static readonly ResourceType RoleBindings = Grouped(Rbac, "rolebindings", "rolebinding", "RoleBinding", true, []) with { Model = typeof(V1RoleBinding) };

    public static readonly ResourceType ClusterRoleBindings =
        Grouped(Rbac, "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, []) with { Model = typeof(V1ClusterRoleBinding) };

    public static readonly ResourceType SelfSubjectAccessReviews =
        Grouped("authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", false, [])
            with { Virtual = true, Model = typeof(V1SelfSubjectAccessReview) };

    public static readonly ResourceType SubjectAccessReviews =
        Grouped("authorization.k8s.io", "subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", false, [])
            with { Virtual = true, Model = typeof(V1SubjectAccessReview) };

    public static readonly ResourceType SelfSubjectReviews =
        Grouped("authentication.k8s.io", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", false, [])
            with { Virtual = true, Model = typeof(V1SelfSubjectReview) };

    public static readonly ResourceType TokenReviews =
        Grouped("authentication.k8s.io", "tokenreviews", "tokenreview", "TokenReview", false, []) with { Virtual = true, Model = typeof(V1TokenReview) };

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
        Namespaces, Nodes, ConfigMaps, Secrets, Services, Endpoints, Pods, Events, ServiceAccounts,
        DaemonSets, Deployments, Roles, ClusterRoles, RoleBindings, ClusterRoleBindings,
        SelfSubjectAccessReviews, SubjectAccessReviews, SelfSubjectReviews, TokenReviews,
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
