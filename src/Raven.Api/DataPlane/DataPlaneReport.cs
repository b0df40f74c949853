using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;

namespace Raven.Api.DataPlane;

/// <summary>
/// What an agent's data plane decided, published on its Lease (annotation <see cref="Annotation"/>) so the
/// controller can follow it (docs/controller.md, "Following the data plane"). Written by the agent only when it
/// changes and with every lease renewal, so a current lease carries a current report.
/// </summary>
public sealed record DataPlaneReport
{
    /// <summary>Ours, not upstream's: on Lease kube-system/raven-agent-NODE.</summary>
    public const string Annotation = "raven.openyurt.io/data-plane";

    /// <summary>The claim this node's probe responder advertises; null on a node that is no tunnel endpoint.</summary>
    [JsonPropertyName("claim")]
    public DataPlaneClaim? Claim { get; init; }

    /// <summary>Per domain (Gateway name), the tunnel endpoint this node sends that domain's traffic through.</summary>
    [JsonPropertyName("serving")]
    public IReadOnlyDictionary<string, string> Serving { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Planned and kernel-observed MTUs (<see cref="MtuReport"/>); null from agents older than the field.</summary>
    [JsonPropertyName("mtu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MtuReport? Mtu { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, RavenJson.Options);

    /// <summary>Null for anything that is not a report (absent, hand-edited, from a newer agent we cannot read).</summary>
    public static DataPlaneReport? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var report = JsonSerializer.Deserialize<DataPlaneReport>(text, RavenJson.Options);
            return report is { Serving: not null } ? report : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A tunnel endpoint's Serving claim (docs/health-probes.md §5.1): serving, yielding, take-over epoch.</summary>
public sealed record DataPlaneClaim
{
    [JsonPropertyName("serving")]
    public bool Serving { get; init; }

    [JsonPropertyName("yielding")]
    public bool Yielding { get; init; }

    [JsonPropertyName("epoch")]
    public uint Epoch { get; init; }

    public override string ToString() => !Serving ? $"standby (epoch {Epoch})" : Yielding ? $"serving, yielding, at epoch {Epoch}" : $"serving at epoch {Epoch}";
}
