using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>core/v1 ConfigMap.</summary>
public sealed class ConfigMap : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "ConfigMap";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("data"), OmitEmpty] public Dictionary<string, string>? Data { get; set; }
    [JsonPropertyName("binaryData"), OmitEmpty] public Dictionary<string, byte[]>? BinaryData { get; set; }
    [JsonPropertyName("immutable"), OmitEmpty] public bool? Immutable { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    public string? Value(string key) => Data is not null && Data.TryGetValue(key, out var v) ? v : null;
}
