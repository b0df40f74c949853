using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>core/v1 Event, as recorded against a Gateway or Node.</summary>
public sealed class Event : IKubeObject
{
    public const string TypeNormal = "Normal";
    public const string TypeWarning = "Warning";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Event";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("involvedObject")] public ObjectReference InvolvedObject { get; set; } = new();
    [JsonPropertyName("reason"), OmitEmpty] public string? Reason { get; set; }
    [JsonPropertyName("message"), OmitEmpty] public string? Message { get; set; }
    [JsonPropertyName("source"), OmitEmpty] public EventSource? Source { get; set; }
    [JsonPropertyName("firstTimestamp"), OmitEmpty] public DateTimeOffset? FirstTimestamp { get; set; }
    [JsonPropertyName("lastTimestamp"), OmitEmpty] public DateTimeOffset? LastTimestamp { get; set; }
    [JsonPropertyName("count"), OmitEmpty] public int Count { get; set; }
    [JsonPropertyName("type"), OmitEmpty] public string? Type { get; set; }
    [JsonPropertyName("eventTime"), OmitEmpty, JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? EventTime { get; set; }
    [JsonPropertyName("reportingComponent"), OmitEmpty] public string? ReportingComponent { get; set; }
    [JsonPropertyName("reportingInstance"), OmitEmpty] public string? ReportingInstance { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ObjectReference
{
    [JsonPropertyName("apiVersion"), OmitEmpty] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind"), OmitEmpty] public string? Kind { get; set; }
    [JsonPropertyName("namespace"), OmitEmpty] public string? Namespace { get; set; }
    [JsonPropertyName("name"), OmitEmpty] public string? Name { get; set; }
    [JsonPropertyName("uid"), OmitEmpty] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion"), OmitEmpty] public string? ResourceVersion { get; set; }
    [JsonPropertyName("fieldPath"), OmitEmpty] public string? FieldPath { get; set; }
}

public sealed class EventSource
{
    [JsonPropertyName("component"), OmitEmpty] public string? Component { get; set; }
    [JsonPropertyName("host"), OmitEmpty] public string? Host { get; set; }
}
