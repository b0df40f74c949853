using System.Net;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>A peer as the daemon reports it (UAPI <c>get=1</c>).</summary>
public sealed record WireGuardPeer
{
    public required WireGuardKey PublicKey { get; init; }

    /// <summary>Null when the daemon reports the all-zero key, i.e. no preshared key.</summary>
    public WireGuardKey? PresharedKey { get; init; }

    public IPEndPoint? Endpoint { get; init; }

    public IReadOnlyList<IPNetwork> AllowedIPs { get; init; } = [];

    /// <summary>Zero means disabled.</summary>
    public TimeSpan PersistentKeepalive { get; init; }

    /// <summary>Null when no handshake has completed yet.</summary>
    public DateTimeOffset? LastHandshake { get; init; }

    public long RxBytes { get; init; }

    public long TxBytes { get; init; }

    public int ProtocolVersion { get; init; }
}
