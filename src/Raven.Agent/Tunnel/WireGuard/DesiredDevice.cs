namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>What the device should look like; the input of <see cref="ConfigDiff"/>.</summary>
public sealed record DesiredDevice
{
    public required WireGuardKey PrivateKey { get; init; }

    /// <summary>Null leaves the port as the daemon chose it.</summary>
    public int? ListenPort { get; init; }

    /// <summary>Null leaves the mark alone; zero clears it.</summary>
    public int? FwMark { get; init; }

    public IReadOnlyList<DesiredPeer> Peers { get; init; } = [];
}
