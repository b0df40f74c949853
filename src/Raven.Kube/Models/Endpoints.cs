using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>core/v1 Endpoints.</summary>
public sealed class Endpoints : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Endpoints";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("subsets"), OmitEmpty] public List<EndpointSubset>? Subsets { get; set; }
}

public sealed class EndpointSubset
{
    [JsonPropertyName("addresses"), OmitEmpty] public List<EndpointAddress>? Addresses { get; set; }
    [JsonPropertyName("notReadyAddresses"), OmitEmpty] public List<EndpointAddress>? NotReadyAddresses { get; set; }
    [JsonPropertyName("ports"), OmitEmpty] public List<EndpointPort>? Ports { get; set; }
}

public sealed class EndpointAddress
{
    [JsonPropertyName("ip")] public string IP { get; set; } = "";
    [JsonPropertyName("hostname"), OmitEmpty] public string? Hostname { get; set; }
    [JsonPropertyName("nodeName"), OmitEmpty] public string? NodeName { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class EndpointPort
{
    [JsonPropertyName("name"), OmitEmpty] public string? Name { get; set; }
    [JsonPropertyName("port")] public int Port { get; set; }
    [JsonPropertyName("protocol"), OmitEmpty] public string? Protocol { get; set; }
    [JsonPropertyName("appProtocol"), OmitEmpty] public string? AppProtocol { get; set; }
}
