namespace Raven.Agent.Tunnel;

/// <summary>A WireGuard peer as the daemon reports it, for the WireGuard-specific metrics kept beside the tunnel ones.</summary>
public sealed record VpnPeerStatus(string PublicKey, DateTimeOffset? LastHandshake, long RxBytes, long TxBytes);
