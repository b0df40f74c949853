namespace Raven.Agent.Tunnel.IPsec;

/// <summary>An IKE SA as charon lists it (list-sa and ike-updown events), named by its connection.</summary>
public sealed record IkeSa
{
    public required string Connection { get; init; }

    /// <summary>charon's id for this SA; a re-established or re-keyed SA gets a new one.</summary>
    public required uint UniqueId { get; init; }

    /// <summary>CREATED, CONNECTING, ESTABLISHED, PASSIVE, REKEYING, REKEYED, DELETING, DESTROYING.</summary>
    public required string State { get; init; }

    public string? LocalHost { get; init; }

    public int? LocalPort { get; init; }

    public string? LocalId { get; init; }

    public string? RemoteHost { get; init; }

    public int? RemotePort { get; init; }

    public string? RemoteId { get; init; }

    public bool Initiator { get; init; }

    public bool NatLocal { get; init; }

    public bool NatRemote { get; init; }

    /// <summary>Seconds since the SA was established; null while it is not.</summary>
    public long? EstablishedSeconds { get; init; }

    public IReadOnlyList<ChildSa> Children { get; init; } = [];

    public bool IsEstablished => State == "ESTABLISHED";
}

/// <summary>A CHILD SA (the ESP pair that carries traffic) with its counters.</summary>
public sealed record ChildSa
{
    /// <summary>The CHILD_SA config name (list-sa keys the section "name-uniqueid").</summary>
    public required string Name { get; init; }

    public required uint UniqueId { get; init; }

    public uint ReqId { get; init; }

    /// <summary>CREATED, ROUTED, INSTALLING, INSTALLED, UPDATING, REKEYING, REKEYED, RETRYING, DELETING, DELETED, DESTROYING.</summary>
    public required string State { get; init; }

    /// <summary>True for ESP in UDP (always with kernel-libipsec).</summary>
    public bool Encapsulated { get; init; }

    public long BytesIn { get; init; }

    public long PacketsIn { get; init; }

    public long BytesOut { get; init; }

    public long PacketsOut { get; init; }

    /// <summary>Seconds since the SA was installed.</summary>
    public long? InstalledSeconds { get; init; }

    public IReadOnlyList<string> LocalTrafficSelectors { get; init; } = [];

    public IReadOnlyList<string> RemoteTrafficSelectors { get; init; } = [];

    public bool IsInstalled => State == "INSTALLED";
}
