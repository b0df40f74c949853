using System.Text.Json;
using System.Text.Json.Serialization;
using Raven.Api.Json;

namespace Raven.Api.DataPlane;

/// <summary>
/// What an operator needs to see of a gateway's tunnels, published by tunnel gateways on their agent Lease (annotation
/// <see cref="Annotation"/>) for <c>raven status</c>, <c>trace</c>, <c>graph</c> and <c>diagnose</c>. Separate from
/// <see cref="DataPlaneReport"/>, which the controller follows and which must stay small and fast: this one is
/// written when a discrete field changes (a path, a state, a reconnect) and otherwise at most every
/// <see cref="RefreshSeconds"/>, so growing byte counters never cause a write of their own.
/// </summary>
public sealed record ConnectionReport
{
    /// <summary>Ours, not upstream's: on Lease kube-system/raven-agent-NODE.</summary>
    public const string Annotation = "raven.openyurt.io/connections";

    /// <summary>Counters (bytes, packets, RTT) are refreshed no more often than this when nothing discrete changed.</summary>
    public const int RefreshSeconds = 30;

    /// <summary>
    /// The most the annotation may take (serialized, UTF-8). Kubernetes allows 256 KiB for all annotations of an object,
    /// and every renewal carries the whole Lease to etcd and to every watcher; a hub gateway with hundreds of remote
    /// domains leaves the healthy ones out (<see cref="OmittedDomains"/>, <see cref="OmittedConnections"/>).
    /// </summary>
    public const int MaxBytes = 32 * 1024;

    /// <summary>When the agent took these numbers (RFC 3339, UTC); readers show ages relative to it.</summary>
    [JsonPropertyName("sampledAt")]
    public DateTimeOffset SampledAt { get; init; }

    /// <summary>The tunnel backend this gateway runs: <c>wireguard</c>, <c>libreswan</c>/<c>ipsec</c> or <c>vxlan</c>.</summary>
    [JsonPropertyName("backend")]
    public string Backend { get; init; } = "";

    /// <summary>This node's role in its domain: <c>serving</c> (carries the domain's traffic) or <c>standby</c>.</summary>
    [JsonPropertyName("role")]
    public string Role { get; init; } = "";

    /// <summary>Per remote domain (Gateway name), ordered by name.</summary>
    [JsonPropertyName("domains")]
    public IReadOnlyList<DomainConnection> Domains { get; init; } = [];

    /// <summary>Per tunnel connection to a remote gateway node, ordered by gateway then node.</summary>
    [JsonPropertyName("connections")]
    public IReadOnlyList<TunnelConnectionReport> Connections { get; init; } = [];

    /// <summary>Remote domains left out to stay within <see cref="MaxBytes"/> (problems are kept first).</summary>
    [JsonPropertyName("omittedDomains")]
    [OmitEmpty]
    public int OmittedDomains { get; init; }

    /// <summary>Connections left out to stay within <see cref="MaxBytes"/> (those not up are kept first).</summary>
    [JsonPropertyName("omittedConnections")]
    [OmitEmpty]
    public int OmittedConnections { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, RavenJson.Options);

    /// <summary>Null for anything that is not a report (absent, hand-edited, from a newer agent we cannot read).</summary>
    public static ConnectionReport? TryParse(string? text) =>
        RavenJson.TryDeserialize<ConnectionReport>(text, report => report is { Domains: not null, Connections: not null });
}

/// <summary>How this gateway reaches one remote domain: the path in use, its cost, the alternatives.</summary>
public sealed record DomainConnection
{
    /// <summary>The remote domain's Gateway name.</summary>
    [JsonPropertyName("domain")]
    public string Domain { get; init; } = "";

    /// <summary>The path in use: <c>direct</c>, or <c>relay:&lt;gateway&gt;</c> for the relay through that gateway.</summary>
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    /// <summary>The remote tunnel endpoint (node name) this gateway sends that domain's traffic to; empty when none.</summary>
    [JsonPropertyName("via")]
    public string Via { get; init; } = "";

    /// <summary>Why this path: the chooser's last reason in a few words (<c>cheapest</c>, <c>punch failed</c>, <c>planned</c>…).</summary>
    [JsonPropertyName("reason")]
    [OmitEmpty]
    public string? Reason { get; init; }

    /// <summary>Every candidate path, the one in use included, with its numbers.</summary>
    [JsonPropertyName("candidates")]
    public IReadOnlyList<PathCostReport> Candidates { get; init; } = [];

    /// <summary>The remote domain's standby tunnel endpoints this gateway has a ready connection to.</summary>
    [JsonPropertyName("readyStandbys")]
    public IReadOnlyList<string> ReadyStandbys { get; init; } = [];
}

/// <summary>One candidate path's measurement. Null numbers: not measured now, or (cost) not usable.</summary>
public sealed record PathCostReport
{
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    /// <summary><c>up</c>, <c>down</c> or <c>unknown</c> in this gateway's failure detector.</summary>
    [JsonPropertyName("state")]
    public string State { get; init; } = "unknown";

    [JsonPropertyName("rttMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RttMilliseconds { get; init; }

    [JsonPropertyName("loss")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? LossRatio { get; init; }

    [JsonPropertyName("costMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? CostMilliseconds { get; init; }
}

/// <summary>One tunnel connection to one remote gateway node, as the backend reports it.</summary>
public sealed record TunnelConnectionReport
{
    /// <summary>The remote domain's Gateway name.</summary>
    [JsonPropertyName("gateway")]
    public string Gateway { get; init; } = "";

    /// <summary>The remote tunnel endpoint's node name.</summary>
    [JsonPropertyName("node")]
    public string Node { get; init; } = "";

    /// <summary>The address:port the tunnel sends to (public or punched).</summary>
    [JsonPropertyName("endpoint")]
    [OmitEmpty]
    public string? Endpoint { get; init; }

    /// <summary><c>connecting</c>, <c>up</c> or <c>down</c>.</summary>
    [JsonPropertyName("state")]
    public string State { get; init; } = "connecting";

    /// <summary>The last key exchange (WireGuard handshake, IKE/CHILD SA rekey); null when never.</summary>
    [JsonPropertyName("lastHandshake")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastHandshake { get; init; }

    [JsonPropertyName("rxBytes")]
    public long RxBytes { get; init; }

    [JsonPropertyName("txBytes")]
    public long TxBytes { get; init; }

    /// <summary>Null where the backend does not count packets (WireGuard's UAPI counts bytes only).</summary>
    [JsonPropertyName("rxPackets")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RxPackets { get; init; }

    [JsonPropertyName("txPackets")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TxPackets { get; init; }

    /// <summary>Times this agent saw the connection go from up to down and back since it started.</summary>
    [JsonPropertyName("reconnects")]
    public int Reconnects { get; init; }
}
