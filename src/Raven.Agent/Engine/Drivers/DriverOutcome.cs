using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine.Drivers;

public enum DriverStatus
{
    Unchanged,
    Changed,
    Failed,
}

/// <summary>
/// What one driver did with one plan, as data rather than a string, so the loop (and its tests) can tell a no-op
/// from a change from a failure. <see cref="SkippedPeers"/> is the tunnel's: peers it could not configure.
/// </summary>
public sealed record DriverOutcome(string Driver, DriverStatus Status, string? Error = null)
{
    /// <summary>Routes the routing driver keeps in Raven's tables (0 for the others).</summary>
    public int RoutesProgrammed { get; init; }

    public IReadOnlyList<SkippedTunnelPeer> SkippedPeers { get; init; } = [];

    public bool Failed => Status == DriverStatus.Failed;

    public static DriverOutcome Of(string driver, bool changed) => new(driver, changed ? DriverStatus.Changed : DriverStatus.Unchanged);

    public static DriverOutcome Failure(string driver, Exception error) =>
        new(driver, DriverStatus.Failed, (error ?? throw new ArgumentNullException(nameof(error))).Message);

    public override string ToString() => Failed ? $"{Driver}: {Error}" : $"{Driver}: {Status}";
}
