using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Api.V1Beta1;

/// <summary>raven.openyurt.io/v1beta1 Gateway: the hub and storage version.</summary>
public sealed class Gateway
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = WellKnown.ApiVersionV1Beta1;
    [JsonPropertyName("kind")] public string Kind { get; set; } = WellKnown.GatewayKind;
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public GatewaySpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public GatewayStatus Status { get; set; } = new();

    [JsonIgnore] public string Name => Metadata.Name ?? "";

    public Gateway Clone() => RavenJson.Deserialize<Gateway>(RavenJson.Serialize(this));
}

public sealed class GatewayList
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = WellKnown.ApiVersionV1Beta1;
    [JsonPropertyName("kind")] public string Kind { get; set; } = WellKnown.GatewayListKind;
    [JsonPropertyName("metadata")] public ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public List<Gateway> Items { get; set; } = [];
}

public sealed class GatewaySpec
{
    /// <summary>Informational, as upstream: membership is decided by the node label, not by this selector.</summary>
    [JsonPropertyName("nodeSelector"), OmitEmpty] public LabelSelector? NodeSelector { get; set; }

    // Go serializes these non-pointer structs even when empty, so they are never omitted.
    [JsonPropertyName("proxyConfig")] public ProxyConfiguration ProxyConfig { get; set; } = new();
    [JsonPropertyName("tunnelConfig")] public TunnelConfiguration TunnelConfig { get; set; } = new();
    [JsonPropertyName("endpoints"), OmitEmpty] public List<Endpoint>? Endpoints { get; set; }
    [JsonPropertyName("exposeType"), OmitEmpty] public string? ExposeType { get; set; }
}

public sealed class ProxyConfiguration
{
    [JsonPropertyName("Replicas")] public int Replicas { get; set; }
    /// <summary>Comma-separated plain-HTTP ports, e.g. "10255,9445".</summary>
    [JsonPropertyName("proxyHTTPPort"), OmitEmpty] public string? ProxyHTTPPort { get; set; }
    /// <summary>Comma-separated HTTPS ports, e.g. "10250,9100".</summary>
    [JsonPropertyName("proxyHTTPSPort"), OmitEmpty] public string? ProxyHTTPSPort { get; set; }
}

public sealed class TunnelConfiguration
{
    [JsonPropertyName("Replicas")] public int Replicas { get; set; }
}

public sealed class Endpoint
{
    [JsonPropertyName("nodeName")] public string NodeName { get; set; } = "";
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("port"), OmitEmpty] public int Port { get; set; }
    [JsonPropertyName("underNAT"), OmitEmpty] public bool UnderNAT { get; set; }
    [JsonPropertyName("natType"), OmitEmpty] public string? NATType { get; set; }
    [JsonPropertyName("publicIP"), OmitEmpty] public string? PublicIP { get; set; }
    [JsonPropertyName("publicPort"), OmitEmpty] public int PublicPort { get; set; }
    [JsonPropertyName("config"), OmitEmpty] public Dictionary<string, string>? Config { get; set; }

    public Endpoint Clone() => RavenJson.Deserialize<Endpoint>(RavenJson.Serialize(this));
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
    [JsonPropertyName("activeEndpoints"), OmitEmpty] public List<Endpoint>? ActiveEndpoints { get; set; }

    // Beyond upstream (additive, omitted when unset so upstream readers see the same object).
    [JsonPropertyName("observedGeneration"), OmitEmpty] public long ObservedGeneration { get; set; }
    [JsonPropertyName("conditions"), OmitEmpty] public List<Condition>? Conditions { get; set; }
}
