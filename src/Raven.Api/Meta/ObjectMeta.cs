using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;

namespace Raven.Api.Meta;

/// <summary>metav1.ObjectMeta: the fields Raven reads or writes; anything else round-trips untouched.</summary>
public sealed class ObjectMeta
{
    [JsonPropertyName("name"), OmitEmpty] public string? Name { get; set; }
    [JsonPropertyName("generateName"), OmitEmpty] public string? GenerateName { get; set; }
    [JsonPropertyName("namespace"), OmitEmpty] public string? Namespace { get; set; }
    [JsonPropertyName("uid"), OmitEmpty] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion"), OmitEmpty] public string? ResourceVersion { get; set; }
    [JsonPropertyName("generation"), OmitEmpty] public long Generation { get; set; }
    [JsonPropertyName("creationTimestamp"), OmitEmpty] public DateTimeOffset? CreationTimestamp { get; set; }
    [JsonPropertyName("deletionTimestamp"), OmitEmpty] public DateTimeOffset? DeletionTimestamp { get; set; }
    [JsonPropertyName("deletionGracePeriodSeconds"), OmitEmpty] public long? DeletionGracePeriodSeconds { get; set; }
    [JsonPropertyName("labels"), OmitEmpty] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("annotations"), OmitEmpty] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("ownerReferences"), OmitEmpty] public List<OwnerReference>? OwnerReferences { get; set; }
    [JsonPropertyName("finalizers"), OmitEmpty] public List<string>? Finalizers { get; set; }

    /// <summary>managedFields and any field a newer server adds: kept so a read-modify-write loses nothing.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    public string? Annotation(string key) => Annotations is not null && Annotations.TryGetValue(key, out var v) ? v : null;

    public string? Label(string key) => Labels is not null && Labels.TryGetValue(key, out var v) ? v : null;

    public ObjectMeta Clone() => RavenJson.Deserialize<ObjectMeta>(RavenJson.Serialize(this));
}

public sealed class OwnerReference
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("uid")] public string Uid { get; set; } = "";
    [JsonPropertyName("controller"), OmitEmpty] public bool? Controller { get; set; }
    [JsonPropertyName("blockOwnerDeletion"), OmitEmpty] public bool? BlockOwnerDeletion { get; set; }
}
