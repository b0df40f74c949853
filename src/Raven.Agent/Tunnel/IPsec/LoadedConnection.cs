namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// A connection as list-conns reports it. charon does not echo every loaded key (no proposals, ports, encap or
/// start action), which is why <see cref="ConnectionConfig"/> names the child after a digest of the whole config.
/// </summary>
public sealed record LoadedConnection
{
    public required string Name { get; init; }

    public IReadOnlyList<string> LocalAddresses { get; init; } = [];

    public IReadOnlyList<string> RemoteAddresses { get; init; } = [];

    /// <summary>IKEv1, IKEv2 or 0 (any).</summary>
    public string? Version { get; init; }

    /// <summary>Seconds, or null when no dead-peer detection is configured.</summary>
    public long? DpdDelaySeconds { get; init; }

    public string? LocalId { get; init; }

    public string? RemoteId { get; init; }

    public IReadOnlyList<LoadedChild> Children { get; init; } = [];
}

/// <summary>A CHILD_SA config of a loaded connection.</summary>
public sealed record LoadedChild(string Name, IReadOnlyList<string> LocalTrafficSelectors, IReadOnlyList<string> RemoteTrafficSelectors);
