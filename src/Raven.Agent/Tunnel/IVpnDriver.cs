using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel;

/// <summary>A peer as the VPN daemon reports it, for metrics and readiness.</summary>
public sealed record VpnPeerStatus(string PublicKey, DateTimeOffset? LastHandshake, long RxBytes, long TxBytes);

/// <summary>What one apply changed on the VPN device; <see cref="Changed"/> is false when nothing was sent.</summary>
public sealed record VpnApplyResult(bool Changed, string Summary)
{
    public static VpnApplyResult Unchanged { get; } = new(false, "");
}

/// <summary>
/// The inter-domain tunnel of the active tunnel gateway. Apply brings the device to the plan (null: remove it),
/// sending only differences; Detach leaves the data plane running for the next agent to adopt.
/// </summary>
public interface IVpnDriver : IAsyncDisposable
{
    string InterfaceName { get; }

    /// <summary>This node's public key (created and persisted on first use).</summary>
    string PublicKey();

    Task<VpnApplyResult> ApplyAsync(WireGuardPlan? plan, CancellationToken cancellationToken);

    Task<IReadOnlyList<VpnPeerStatus>> PeersAsync(CancellationToken cancellationToken);

    /// <summary>Stops supervising without touching the device or its daemon.</summary>
    Task DetachAsync();

    /// <summary>Removes the device and its daemon, also one left by an earlier agent.</summary>
    Task CleanupAsync(CancellationToken cancellationToken);
}
