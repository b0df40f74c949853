using System.Text.Json.Serialization;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>Any "XxxList" response: list metadata (resourceVersion, continue token) and the items.</summary>
public sealed class KubeList<T>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public List<T> Items { get; set; } = [];
}
