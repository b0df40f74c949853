using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>core/v1 Pod: read for its node and IP; the rest is kept verbatim.</summary>
public sealed class Pod : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Pod";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public PodSpec Spec { get; set; } = new();
    [JsonPropertyName("status"), OmitEmpty] public PodStatus? Status { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class PodSpec
{
    [JsonPropertyName("nodeName"), OmitEmpty] public string? NodeName { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class PodStatus
{
    [JsonPropertyName("phase"), OmitEmpty] public string? Phase { get; set; }
    [JsonPropertyName("podIP"), OmitEmpty] public string? PodIP { get; set; }
    [JsonPropertyName("hostIP"), OmitEmpty] public string? HostIP { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
