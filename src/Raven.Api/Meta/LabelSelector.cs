using System.Text.Json.Serialization;
using Raven.Api.Json;

namespace Raven.Api.Meta;

/// <summary>metav1.LabelSelector.</summary>
public sealed class LabelSelector
{
    [JsonPropertyName("matchLabels"), OmitEmpty] public Dictionary<string, string>? MatchLabels { get; set; }
    [JsonPropertyName("matchExpressions"), OmitEmpty] public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

public sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";
    [JsonPropertyName("values"), OmitEmpty] public List<string>? Values { get; set; }
}
