using System.Net;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>A peer as it should be configured.</summary>
public sealed record DesiredPeer
{
    public required WireGuardKey PublicKey { get; init; }

    /// <summary>Null means no preshared key.</summary>
    public WireGuardKey? PresharedKey { get; init; }

    /// <summary>
    /// Null leaves the endpoint alone, so an endpoint learned from a NATed peer's packets is not overwritten.
    /// </summary>
    public IPEndPoint? Endpoint { get; init; }

    /// <summary>Zero disables keepalive; whole seconds only.</summary>
    public TimeSpan PersistentKeepalive { get; init; }

    /// <summary>Compared as a set: order and duplicates do not matter.</summary>
    public IReadOnlyList<IPNetwork> AllowedIPs { get; init; } = [];
}
