using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine;

/// <summary>
/// Pure: ready means the last plan was applied without errors and, when there are tunnel peers, each has
/// handshaked within <see cref="HandshakeWindow"/> (a peer configured less than that long ago gets the time).
/// </summary>
public static class AgentReadiness
{
    public static readonly TimeSpan HandshakeWindow = TimeSpan.FromMinutes(3);

    /// <returns>Null when ready, otherwise the reason.</returns>
    public static string? NotReadyReason(
        ApplyReport? lastApply,
        IReadOnlyList<VpnPeerStatus> peers,
        IReadOnlyDictionary<string, DateTimeOffset> configuredSince,
        IReadOnlyDictionary<string, string> peerNames,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(configuredSince);
        ArgumentNullException.ThrowIfNull(peerNames);
        if (lastApply is null)
        {
            return "the plan has not been applied yet";
        }

        if (!lastApply.Succeeded)
        {
            return $"the last apply failed: {string.Join("; ", lastApply.Errors)}";
        }

        var stale = peers
            .Where(p => p.LastHandshake is not { } at || now - at > HandshakeWindow)
            .Where(p => !configuredSince.TryGetValue(p.PublicKey, out var since) || now - since > HandshakeWindow)
            .Select(p => peerNames.GetValueOrDefault(p.PublicKey) ?? p.PublicKey)
            .Order(StringComparer.Ordinal)
            .ToList();
        return stale.Count == 0 ? null
            : $"no WireGuard handshake within {HandshakeWindow.TotalMinutes:0} minutes with {string.Join(", ", stale)}";
    }
}
