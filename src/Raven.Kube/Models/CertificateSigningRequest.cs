using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>certificates.k8s.io/v1 CertificateSigningRequest (cluster-scoped).</summary>
public sealed class CertificateSigningRequest : IKubeObject
{
    public const string SignerKubeletServing = "kubernetes.io/kubelet-serving";
    public const string SignerKubeApiServerClient = "kubernetes.io/kube-apiserver-client";
    public const string ConditionApproved = "Approved";
    public const string ConditionDenied = "Denied";
    public const string ConditionFailed = "Failed";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "certificates.k8s.io/v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "CertificateSigningRequest";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public CertificateSigningRequestSpec Spec { get; set; } = new();
    [JsonPropertyName("status"), OmitEmpty] public CertificateSigningRequestStatus? Status { get; set; }

    public bool HasCondition(string type) => Status?.Conditions?.Any(c => c.Type == type && c.Status != "False") ?? false;
}

public sealed class CertificateSigningRequestSpec
{
    /// <summary>The PEM-encoded PKCS#10 request (base64 on the wire).</summary>
    [JsonPropertyName("request")] public byte[] Request { get; set; } = [];
    [JsonPropertyName("signerName")] public string SignerName { get; set; } = "";
    [JsonPropertyName("expirationSeconds"), OmitEmpty] public int? ExpirationSeconds { get; set; }
    [JsonPropertyName("usages"), OmitEmpty] public List<string>? Usages { get; set; }
    [JsonPropertyName("username"), OmitEmpty] public string? Username { get; set; }
    [JsonPropertyName("uid"), OmitEmpty] public string? Uid { get; set; }
    [JsonPropertyName("groups"), OmitEmpty] public List<string>? Groups { get; set; }
    [JsonPropertyName("extra"), OmitEmpty] public Dictionary<string, List<string>>? ExtraAttributes { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class CertificateSigningRequestStatus
{
    [JsonPropertyName("conditions"), OmitEmpty] public List<CertificateSigningRequestCondition>? Conditions { get; set; }
    /// <summary>The issued PEM certificate chain (base64 on the wire).</summary>
    [JsonPropertyName("certificate"), OmitEmpty] public byte[]? Certificate { get; set; }
}

public sealed class CertificateSigningRequestCondition
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "True";
    [JsonPropertyName("reason"), OmitEmpty] public string? Reason { get; set; }
    [JsonPropertyName("message"), OmitEmpty] public string? Message { get; set; }
    [JsonPropertyName("lastUpdateTime"), OmitEmpty] public DateTimeOffset? LastUpdateTime { get; set; }
    [JsonPropertyName("lastTransitionTime"), OmitEmpty] public DateTimeOffset? LastTransitionTime { get; set; }
}
