namespace Raven.Agent.Tunnel.IPsec;

public enum IpsecConnectionState
{
    /// <summary>Loaded, but charon has no SA for it (a responder waiting, or an initiator between attempts).</summary>
    Down,

    /// <summary>IKE is being negotiated.</summary>
    Connecting,

    /// <summary>The IKE SA is up but no CHILD SA is installed: no traffic passes.</summary>
    IkeEstablished,

    /// <summary>IKE SA established and a CHILD SA installed: traffic passes.</summary>
    Up,
}

/// <summary>One wanted connection as charon reports it, for metrics, readiness and status.</summary>
public sealed record IpsecConnectionStatus
{
    public required string Name { get; init; }

    public required IpsecConnectionState State { get; init; }

    /// <summary>The remote tunnel endpoint's node name (its IKE identity without the <c>@</c>).</summary>
    public string? RemoteNode { get; init; }

    /// <summary>The peer's current IKE endpoint (after NAT, as charon sees it).</summary>
    public string? RemoteEndpoint { get; init; }

    /// <summary>charon's unique id of the IKE SA; a new id means the SA was re-established or re-keyed.</summary>
    public uint? IkeSaId { get; init; }

    /// <summary>charon's unique id of the installed CHILD SA.</summary>
    public uint? ChildSaId { get; init; }

    /// <summary>Time since the IKE SA was established.</summary>
    public TimeSpan? Age { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    public long PacketsIn { get; init; }

    public long PacketsOut { get; init; }

    /// <summary>How often the IKE SA came up again after its first establishment, while this tunnel watched.</summary>
    public int Reconnects { get; init; }

    /// <summary>charon detected a NAT between the peers.</summary>
    public bool Nat { get; init; }
}
