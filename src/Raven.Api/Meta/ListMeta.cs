using System.Text.Json.Serialization;
using Raven.Api.Json;

namespace Raven.Api.Meta;

/// <summary>metav1.ListMeta.</summary>
public sealed class ListMeta
{
    [JsonPropertyName("resourceVersion"), OmitEmpty] public string? ResourceVersion { get; set; }
    [JsonPropertyName("continue"), OmitEmpty] public string? Continue { get; set; }
    [JsonPropertyName("remainingItemCount"), OmitEmpty] public long? RemainingItemCount { get; set; }
}
