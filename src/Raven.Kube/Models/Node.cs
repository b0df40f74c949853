using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>core/v1 Node: the fields Raven reads; everything else round-trips through the extension data.</summary>
public sealed class Node : IKubeObject
{
    public const string ConditionReady = "Ready";
    public const string AddressInternalIP = "InternalIP";
    public const string AddressExternalIP = "ExternalIP";
    public const string AddressHostname = "Hostname";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Node";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public NodeSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public NodeStatus Status { get; set; } = new();
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The node's Ready condition is "True".</summary>
    public bool IsReady => Status.Conditions?.Any(c => c.Type == ConditionReady && c.Status == "True") ?? false;

    /// <summary>First address of the given type (e.g. <see cref="AddressInternalIP"/>), or null.</summary>
    public string? Address(string type) => Status.Addresses?.FirstOrDefault(a => a.Type == type)?.Address;
}

public sealed class NodeSpec
{
    [JsonPropertyName("podCIDR"), OmitEmpty] public string? PodCIDR { get; set; }
    [JsonPropertyName("podCIDRs"), OmitEmpty] public List<string>? PodCIDRs { get; set; }
    [JsonPropertyName("unschedulable"), OmitEmpty] public bool Unschedulable { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NodeStatus
{
    [JsonPropertyName("addresses"), OmitEmpty] public List<NodeAddress>? Addresses { get; set; }
    [JsonPropertyName("conditions"), OmitEmpty] public List<NodeCondition>? Conditions { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NodeAddress
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("address")] public string Address { get; set; } = "";
}

/// <summary>core/v1 NodeCondition (differs from metav1.Condition: heartbeat time, no generation).</summary>
public sealed class NodeCondition
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "Unknown";
    [JsonPropertyName("lastHeartbeatTime"), OmitEmpty] public DateTimeOffset? LastHeartbeatTime { get; set; }
    [JsonPropertyName("lastTransitionTime"), OmitEmpty] public DateTimeOffset? LastTransitionTime { get; set; }
    [JsonPropertyName("reason"), OmitEmpty] public string? Reason { get; set; }
    [JsonPropertyName("message"), OmitEmpty] public string? Message { get; set; }
}
