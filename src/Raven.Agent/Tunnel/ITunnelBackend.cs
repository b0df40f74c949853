using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel;

/// <summary>
/// One tunnel backend (WireGuard, IPsec, ...) behind the seam, in the shape of Submariner's cable drivers: the
/// engine hands it the plan's backend-neutral <see cref="TunnelPlan"/> and never knows which backend it drives.
/// Every backend lives in its own folder under Tunnel/ and is registered in <see cref="TunnelBackends"/>.
/// </summary>
public interface ITunnelBackend : IAsyncDisposable
{
    /// <summary>The pure facts the planner uses: name, MTU overhead, which published peer configs are usable.</summary>
    ITunnelProfile Profile { get; }

    /// <summary>The device the backend's routes point at (also left out of the connected prefixes).</summary>
    string InterfaceName { get; }

    /// <summary>What this node publishes in its tunnel endpoint's config (WireGuard: its public key); empty when nothing.</summary>
    IReadOnlyDictionary<string, string> PublishedConfig();

    /// <summary>
    /// Brings the daemon or kernel to <paramref name="plan"/> (null: remove everything of this backend), sending only
    /// the difference. A peer the backend cannot configure is skipped and reported in the outcome; it never stops
    /// the other peers. Throws only when the backend itself fails (daemon won't start, socket gone).
    /// </summary>
    Task<TunnelApplyOutcome> ApplyAsync(TunnelPlan? plan, CancellationToken cancellationToken);

    /// <summary>Every configured connection with its state and counters, as the daemon or kernel reports it now.</summary>
    Task<IReadOnlyList<TunnelConnection>> ConnectionsAsync(CancellationToken cancellationToken);

    /// <summary>Stops supervising without touching the data plane: the next agent adopts it.</summary>
    Task DetachAsync();

    /// <summary>Removes the backend's device and daemon, also ones left by an earlier agent.</summary>
    Task CleanupAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The preferred source address the routing step puts on Raven's <paramref name="route"/> into this backend's
    /// device; null (the default) for none. IPsec over kernel-libipsec needs one inside the local traffic selector.
    /// </summary>
    System.Net.IPAddress? RouteSource(PlannedRoute route) => null;
}
