using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>meta/v1 Status: what the API server returns for failures and some deletes.</summary>
public sealed class Status
{
    [JsonPropertyName("apiVersion"), OmitEmpty] public string? ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind"), OmitEmpty] public string? Kind { get; set; } = "Status";
    [JsonPropertyName("metadata"), OmitEmpty] public ListMeta? Metadata { get; set; }
    [JsonPropertyName("status"), OmitEmpty] public string? Outcome { get; set; }
    [JsonPropertyName("message"), OmitEmpty] public string? Message { get; set; }
    [JsonPropertyName("reason"), OmitEmpty] public string? Reason { get; set; }
    [JsonPropertyName("details"), OmitEmpty] public StatusDetails? Details { get; set; }
    [JsonPropertyName("code"), OmitEmpty] public int Code { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class StatusDetails
{
    [JsonPropertyName("name"), OmitEmpty] public string? Name { get; set; }
    [JsonPropertyName("group"), OmitEmpty] public string? Group { get; set; }
    [JsonPropertyName("kind"), OmitEmpty] public string? Kind { get; set; }
    [JsonPropertyName("uid"), OmitEmpty] public string? Uid { get; set; }
    [JsonPropertyName("causes"), OmitEmpty] public List<StatusCause>? Causes { get; set; }
    [JsonPropertyName("retryAfterSeconds"), OmitEmpty] public int RetryAfterSeconds { get; set; }
}

public sealed class StatusCause
{
    [JsonPropertyName("reason"), OmitEmpty] public string? Reason { get; set; }
    [JsonPropertyName("message"), OmitEmpty] public string? Message { get; set; }
    [JsonPropertyName("field"), OmitEmpty] public string? Field { get; set; }
}
