using System.Text.Json.Serialization;
using Raven.Api.Json;

namespace Raven.Kube.Client;

/// <summary>meta/v1 DeleteOptions: preconditions make a delete conditional on uid and/or resourceVersion.</summary>
public sealed class DeleteOptions
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "DeleteOptions";
    [JsonPropertyName("preconditions"), OmitEmpty] public Preconditions? Preconditions { get; set; }
    [JsonPropertyName("propagationPolicy"), OmitEmpty] public string? PropagationPolicy { get; set; }
    [JsonPropertyName("gracePeriodSeconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? GracePeriodSeconds { get; set; }
}

public sealed class Preconditions
{
    [JsonPropertyName("uid"), OmitEmpty] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion"), OmitEmpty] public string? ResourceVersion { get; set; }
}
