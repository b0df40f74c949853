using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>core/v1 Namespace; spec and status are kept verbatim.</summary>
public sealed class Namespace : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Namespace";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
