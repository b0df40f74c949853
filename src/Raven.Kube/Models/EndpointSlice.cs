using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>discovery.k8s.io/v1 EndpointSlice (read side).</summary>
public sealed class EndpointSlice : IKubeObject
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "discovery.k8s.io/v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "EndpointSlice";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("addressType")] public string AddressType { get; set; } = "IPv4";
    [JsonPropertyName("endpoints")] public List<SliceEndpoint> Endpoints { get; set; } = [];
    [JsonPropertyName("ports"), OmitEmpty] public List<EndpointPort>? Ports { get; set; }
}

public sealed class SliceEndpoint
{
    [JsonPropertyName("addresses")] public List<string> Addresses { get; set; } = [];
    [JsonPropertyName("conditions"), OmitEmpty] public SliceEndpointConditions? Conditions { get; set; }
    [JsonPropertyName("hostname"), OmitEmpty] public string? Hostname { get; set; }
    [JsonPropertyName("nodeName"), OmitEmpty] public string? NodeName { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class SliceEndpointConditions
{
    [JsonPropertyName("ready"), OmitEmpty] public bool? Ready { get; set; }
    [JsonPropertyName("serving"), OmitEmpty] public bool? Serving { get; set; }
    [JsonPropertyName("terminating"), OmitEmpty] public bool? Terminating { get; set; }
}
