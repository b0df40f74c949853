using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>core/v1 Service.</summary>
public sealed class Service : IKubeObject
{
    public const string TypeClusterIP = "ClusterIP";
    public const string TypeNodePort = "NodePort";
    public const string TypeLoadBalancer = "LoadBalancer";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Service";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ServiceSpec Spec { get; set; } = new();
    [JsonPropertyName("status"), OmitEmpty] public ServiceStatus? Status { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ServiceSpec
{
    [JsonPropertyName("type"), OmitEmpty] public string? Type { get; set; }
    [JsonPropertyName("selector"), OmitEmpty] public Dictionary<string, string>? Selector { get; set; }
    [JsonPropertyName("ports"), OmitEmpty] public List<ServicePort>? Ports { get; set; }
    [JsonPropertyName("clusterIP"), OmitEmpty] public string? ClusterIP { get; set; }
    [JsonPropertyName("clusterIPs"), OmitEmpty] public List<string>? ClusterIPs { get; set; }
    [JsonPropertyName("externalTrafficPolicy"), OmitEmpty] public string? ExternalTrafficPolicy { get; set; }
    [JsonPropertyName("loadBalancerIP"), OmitEmpty] public string? LoadBalancerIP { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ServicePort
{
    [JsonPropertyName("name"), OmitEmpty] public string? Name { get; set; }
    [JsonPropertyName("protocol"), OmitEmpty] public string? Protocol { get; set; }
    [JsonPropertyName("port")] public int Port { get; set; }
    /// <summary>IntOrString on the wire: a number or a named port.</summary>
    [JsonPropertyName("targetPort"), OmitEmpty] public JsonElement? TargetPort { get; set; }
    [JsonPropertyName("nodePort"), OmitEmpty] public int NodePort { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ServiceStatus
{
    [JsonPropertyName("loadBalancer"), OmitEmpty] public LoadBalancerStatus? LoadBalancer { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class LoadBalancerStatus
{
    [JsonPropertyName("ingress"), OmitEmpty] public List<LoadBalancerIngress>? Ingress { get; set; }
}

public sealed class LoadBalancerIngress
{
    [JsonPropertyName("ip"), OmitEmpty] public string? IP { get; set; }
    [JsonPropertyName("hostname"), OmitEmpty] public string? Hostname { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
