using System.Text;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// One UAPI <c>set=1</c> message: only the fields that are set are sent. There is deliberately no
/// <c>replace_peers</c>: replacing all peers resets every session (the upstream churn bug).
/// </summary>
public sealed record DeviceConfig
{
    public WireGuardKey? PrivateKey { get; init; }

    public int? ListenPort { get; init; }

    /// <summary>Zero clears the mark.</summary>
    public int? FwMark { get; init; }

    public IReadOnlyList<PeerConfig> Peers { get; init; } = [];

    public bool IsEmpty => PrivateKey is null && ListenPort is null && FwMark is null && Peers.Count == 0;

    // Keeps the private key out of logs and exception messages that print this record.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("PrivateKey = ").Append(PrivateKey is null ? "(unchanged)" : "(redacted)");
        builder.Append(", ListenPort = ").Append(ListenPort);
        builder.Append(", FwMark = ").Append(FwMark);
        builder.Append(", Peers = ").Append(Peers.Count);
        return true;
    }
}
