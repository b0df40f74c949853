using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>
/// Calico's crd.projectcalico.org/v1 BlockAffinity: which pod CIDR block belongs to which node. A custom resource the
/// official client has no model for; read through its custom-object API with Raven's serializer.
/// </summary>
public sealed class BlockAffinity
{
    public const string StateConfirmed = "confirmed";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "crd.projectcalico.org/v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "BlockAffinity";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public BlockAffinitySpec Spec { get; set; } = new();
}

public sealed class BlockAffinitySpec
{
    [JsonPropertyName("cidr")] public string Cidr { get; set; } = "";
    [JsonPropertyName("node")] public string Node { get; set; } = "";
    [JsonPropertyName("state")] public string State { get; set; } = "";
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
