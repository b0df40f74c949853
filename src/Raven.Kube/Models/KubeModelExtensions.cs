using k8s.Models;

namespace Raven.Kube.Models;

/// <summary>Small readings of the official client's models that Raven needs in many places.</summary>
public static class KubeModelExtensions
{
    public const string NodeReady = "Ready";
    public const string AddressInternalIP = "InternalIP";
    public const string AddressExternalIP = "ExternalIP";
    public const string ServiceTypeLoadBalancer = "LoadBalancer";
    public const string CsrApproved = "Approved";
    public const string CsrDenied = "Denied";
    public const string CsrFailed = "Failed";
    public const string SignerKubeletServing = "kubernetes.io/kubelet-serving";
    public const string SignerKubeApiServerClient = "kubernetes.io/kube-apiserver-client";

    /// <summary>The label's value, or null when the object has no such label.</summary>
    public static string? Label(this V1ObjectMeta? meta, string key) =>
        meta?.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    /// <summary>The annotation's value, or null when the object has no such annotation.</summary>
    public static string? Annotation(this V1ObjectMeta? meta, string key) =>
        meta?.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    /// <summary>
    /// The ConfigMap's data as a read-only dictionary, null without a ConfigMap or data. The stored dictionary itself
    /// when it is one (it is after decoding), so an unchanged object gives the same instance.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? ReadOnlyData(this V1ConfigMap? configMap) => configMap?.Data switch
    {
        null => null,
        IReadOnlyDictionary<string, string> readOnly => readOnly,
        var data => new Dictionary<string, string>(data),
    };

    /// <summary>The node's Ready condition is "True".</summary>
    public static bool IsReady(this V1Node node) =>
        node?.Status?.Conditions?.Any(c => c.Type == NodeReady && c.Status == "True") ?? false;

    /// <summary>The first address of the given type (e.g. <see cref="AddressInternalIP"/>), or null.</summary>
    public static string? Address(this V1Node node, string type) =>
        node?.Status?.Addresses?.FirstOrDefault(a => a.Type == type)?.Address;

    /// <summary>A time from the official client's models (UTC, or unspecified meaning UTC) as a UTC offset time.</summary>
    public static DateTimeOffset AsUtc(this DateTime time) => time.Kind == DateTimeKind.Local
        ? new DateTimeOffset(time).ToUniversalTime()
        : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>The request carries a condition of this type that is not "False" (Approved, Denied, Failed).</summary>
    public static bool HasCondition(this V1CertificateSigningRequest csr, string type) =>
        csr?.Status?.Conditions?.Any(c => c.Type == type && c.Status != "False") ?? false;
}
