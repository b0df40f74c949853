using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine;

/// <summary>
/// Pure: ready means the last plan was applied without errors and every tunnel connection is up, or was configured
/// less than <see cref="ConnectWindow"/> ago and gets the time to come up.
/// </summary>
public static class AgentReadiness
{
    public static readonly TimeSpan ConnectWindow = TimeSpan.FromMinutes(3);

    /// <param name="configuredSince">Gateway name → when its connection first appeared in a plan.</param>
    /// <returns>Null when ready, otherwise the reason.</returns>
    public static string? NotReadyReason(
        ApplyReport? lastApply,
        IReadOnlyList<TunnelConnection> connections,
        IReadOnlyDictionary<string, DateTimeOffset> configuredSince,
        DateTimeOffset now,
        string backend = "tunnel")
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(configuredSince);
        if (lastApply is null)
        {
            return "the plan has not been applied yet";
        }

        if (!lastApply.Succeeded)
        {
            return $"the last apply failed: {string.Join("; ", lastApply.Errors)}";
        }

        var down = connections
            .Where(c => c.State != TunnelConnectionState.Up)
            .Where(c => !configuredSince.TryGetValue(c.Gateway, out var since) || now - since > ConnectWindow)
            .Select(c => c.Gateway)
            .Order(StringComparer.Ordinal)
            .ToList();
        return down.Count == 0 ? null
            : $"{backend} connection not up within {ConnectWindow.TotalMinutes:0} minutes with {string.Join(", ", down)}";
    }
}
