namespace Raven.Agent.Tunnel;

public enum TunnelConnectionState
{
    /// <summary>Configured, never established (or not yet).</summary>
    Connecting,

    /// <summary>Established and recently alive (WireGuard: a handshake within 3 minutes; IPsec: CHILD SA installed).</summary>
    Up,

    /// <summary>Was established, is not now (handshake too old, SA gone).</summary>
    Down,
}

/// <summary>
/// One connection to one remote gateway as the backend reports it. <see cref="Id"/> is the backend's own handle
/// (WireGuard: the peer's public key; IPsec: the connection name); <see cref="LastHandshake"/> is the last key
/// exchange, when the backend knows one.
/// </summary>
public sealed record TunnelConnection(
    string Gateway,
    string Id,
    TunnelConnectionState State,
    DateTimeOffset? LastHandshake,
    long RxBytes,
    long TxBytes);
