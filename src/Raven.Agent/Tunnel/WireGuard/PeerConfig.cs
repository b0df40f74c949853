using System.Net;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>The per-peer part of a UAPI <c>set=1</c> message; unset fields are left unchanged by the daemon.</summary>
public sealed record PeerConfig
{
    public required WireGuardKey PublicKey { get; init; }

    /// <summary>Remove this peer; every other field is ignored.</summary>
    public bool Remove { get; init; }

    /// <summary>Only change the peer if it exists, never create it.</summary>
    public bool UpdateOnly { get; init; }

    /// <summary><see cref="WireGuardKey.Zero"/> clears the preshared key.</summary>
    public WireGuardKey? PresharedKey { get; init; }

    public IPEndPoint? Endpoint { get; init; }

    /// <summary><see cref="TimeSpan.Zero"/> disables keepalive; whole seconds only.</summary>
    public TimeSpan? PersistentKeepalive { get; init; }

    /// <summary>Replace the peer's allowed IPs with <see cref="AllowedIPs"/> instead of adding to them.</summary>
    public bool ReplaceAllowedIPs { get; init; }

    public IReadOnlyList<IPNetwork> AllowedIPs { get; init; } = [];
}
