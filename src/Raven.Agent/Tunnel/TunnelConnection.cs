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
    long TxBytes)
{
    /// <summary>The remote tunnel endpoint's node name, when the backend knows it (a domain may have several endpoints).</summary>
    public string? Node { get; init; }

    /// <summary>The address:port the backend sends to now (after NAT, as the daemon sees it); null when unknown.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Null where the backend does not count packets (WireGuard's UAPI counts bytes only).</summary>
    public long? RxPackets { get; init; }

    public long? TxPackets { get; init; }

    /// <summary>
    /// The backend's own count of re-establishments (IPsec: from charon's events, which see even the ones between two
    /// polls); null when it keeps none and the agent counts the up → down → up it polls.
    /// </summary>
    public int? Reconnects { get; init; }
}
