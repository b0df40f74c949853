using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>core/v1 Secret. <see cref="Data"/> values are raw bytes (base64 on the wire).</summary>
public sealed class Secret : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Secret";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("type"), OmitEmpty] public string? Type { get; set; }
    [JsonPropertyName("data"), OmitEmpty] public Dictionary<string, byte[]>? Data { get; set; }
    /// <summary>Write-only convenience the server merges into data.</summary>
    [JsonPropertyName("stringData"), OmitEmpty] public Dictionary<string, string>? StringData { get; set; }
    [JsonPropertyName("immutable"), OmitEmpty] public bool? Immutable { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
