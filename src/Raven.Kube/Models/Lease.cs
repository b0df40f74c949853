using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>coordination.k8s.io/v1 Lease, the lock behind leader election.</summary>
public sealed class Lease : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "coordination.k8s.io/v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Lease";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public LeaseSpec Spec { get; set; } = new();
}

public sealed class LeaseSpec
{
    [JsonPropertyName("holderIdentity"), OmitEmpty] public string? HolderIdentity { get; set; }
    [JsonPropertyName("leaseDurationSeconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? LeaseDurationSeconds { get; set; }
    [JsonPropertyName("acquireTime"), OmitEmpty, JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? AcquireTime { get; set; }
    [JsonPropertyName("renewTime"), OmitEmpty, JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? RenewTime { get; set; }
    [JsonPropertyName("leaseTransitions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? LeaseTransitions { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
