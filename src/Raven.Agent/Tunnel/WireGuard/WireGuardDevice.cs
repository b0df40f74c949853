using System.Text;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>A WireGuard device as the daemon reports it (UAPI <c>get=1</c>).</summary>
public sealed record WireGuardDevice
{
    /// <summary>Null until a private key has been configured.</summary>
    public WireGuardKey? PrivateKey { get; init; }

    /// <summary>Derived from <see cref="PrivateKey"/>; the daemon does not report it.</summary>
    public WireGuardKey? PublicKey { get; init; }

    public int ListenPort { get; init; }

    /// <summary>Zero means no mark.</summary>
    public int FwMark { get; init; }

    public IReadOnlyList<WireGuardPeer> Peers { get; init; } = [];

    // Keeps the private key out of logs and exception messages that print this record.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("PrivateKey = ").Append(PrivateKey is null ? "(none)" : "(redacted)");
        builder.Append(", PublicKey = ").Append(PublicKey);
        builder.Append(", ListenPort = ").Append(ListenPort);
        builder.Append(", FwMark = ").Append(FwMark);
        builder.Append(", Peers = ").Append(Peers.Count);
        return true;
    }
}
