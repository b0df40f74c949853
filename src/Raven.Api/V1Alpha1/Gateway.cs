using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Api.V1Alpha1;

/// <summary>raven.openyurt.io/v1alpha1 Gateway: served for old manifests; one active endpoint, untyped endpoints.</summary>
public sealed class Gateway
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = WellKnown.ApiVersionV1Alpha1;
    [JsonPropertyName("kind")] public string Kind { get; set; } = WellKnown.GatewayKind;
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public GatewaySpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public GatewayStatus Status { get; set; } = new();

    [JsonIgnore] public string Name => Metadata.Name ?? "";

    public Gateway Clone() => RavenJson.Deserialize<Gateway>(RavenJson.Serialize(this));
}

public sealed class GatewayList
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = WellKnown.ApiVersionV1Alpha1;
    [JsonPropertyName("kind")] public string Kind { get; set; } = WellKnown.GatewayListKind;
    [JsonPropertyName("metadata")] public ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public List<Gateway> Items { get; set; } = [];
}

public sealed class GatewaySpec
{
    [JsonPropertyName("nodeSelector"), OmitEmpty] public LabelSelector? NodeSelector { get; set; }
    /// <summary>Required by the v1alpha1 schema; Go writes null when unset.</summary>
    [JsonPropertyName("endpoints")] public List<Endpoint>? Endpoints { get; set; }
    [JsonPropertyName("exposeType"), OmitEmpty] public string? ExposeType { get; set; }
}

public sealed class Endpoint
{
    [JsonPropertyName("nodeName")] public string NodeName { get; set; } = "";
    [JsonPropertyName("underNAT"), OmitEmpty] public bool UnderNAT { get; set; }
    [JsonPropertyName("publicIP"), OmitEmpty] public string? PublicIP { get; set; }
    [JsonPropertyName("config"), OmitEmpty] public Dictionary<string, string>? Config { get; set; }
}

public sealed class NodeInfo
{
    [JsonPropertyName("nodeName")] public string NodeName { get; set; } = "";
    [JsonPropertyName("privateIP")] public string PrivateIP { get; set; } = "";
    [JsonPropertyName("subnets")] public List<string> Subnets { get; set; } = [];
}

public sealed class GatewayStatus
{
    [JsonPropertyName("nodes"), OmitEmpty] public List<NodeInfo>? Nodes { get; set; }
    [JsonPropertyName("activeEndpoint"), OmitEmpty] public Endpoint? ActiveEndpoint { get; set; }
}
