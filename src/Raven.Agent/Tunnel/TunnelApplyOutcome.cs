namespace Raven.Agent.Tunnel;

/// <summary>A remote gateway the backend left out, and why (invalid key, duplicate identity, bad spec, ...).</summary>
public sealed record SkippedTunnelPeer(string Gateway, string Reason);

/// <summary>What one tunnel apply did: whether anything was sent, a short summary, and the peers left out.</summary>
public sealed record TunnelApplyOutcome(bool Changed, string Summary, IReadOnlyList<SkippedTunnelPeer> Skipped)
{
    public static TunnelApplyOutcome Unchanged { get; } = new(false, "", []);
}
