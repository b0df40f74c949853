namespace Raven.Agent.Proxy.Tunnel;

public enum TunnelDialStatus
{
    Connected,

    /// <summary>No proxy client with that node name is connected to this server.</summary>
    NoTunnel,

    /// <summary>The proxy client reported that it could not reach the target.</summary>
    DialFailed,

    /// <summary>The proxy client did not answer within the dial timeout.</summary>
    TimedOut,

    Canceled,
}

/// <summary>What <see cref="TunnelServer.DialAsync"/> produced; <see cref="Stream"/> is set only when connected.</summary>
public sealed record TunnelDialResult(TunnelDialStatus Status, TunnelStream? Stream, string? Error)
{
    public static TunnelDialResult Failed(TunnelDialStatus status, string error) => new(status, null, error);
}
