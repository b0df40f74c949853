namespace Raven.Agent.Planning;

/// <summary>
/// Gateways whose published tunnel identity (WireGuard: the public key) another gateway also publishes, typically
/// a cloned state directory. The backend could not tell their packets apart, and configuring both would fail the
/// whole tunnel, so each such remote gateway is marked unusable (a <see cref="DiagnosticKind.SkippedPeer"/>) and
/// every other peer is planned as usual. When the local gateway is one of them, the remote ones are skipped.
/// </summary>
internal static class PeerConflicts
{
    public static IReadOnlyList<DomainView> Resolve(IReadOnlyList<DomainView> domains, ITunnelProfile profile, List<Diagnostic> diagnostics)
    {
        var byIdentity = domains
            .Where(d => d.Tunnel is { Problem: null })
            .Select(d => (Domain: d, Identity: profile.Identity(d.Tunnel!.Config)))
            .Where(x => x.Identity is not null)
            .GroupBy(x => x.Identity!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToList();
        if (byIdentity.Count == 0)
        {
            return domains;
        }

        var conflicts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in byIdentity)
        {
            var names = group.Select(x => x.Domain.Name).Order(StringComparer.Ordinal).ToList();
            foreach (var name in names)
            {
                var others = string.Join(", ", names.Where(n => n != name));
                conflicts[name] = $"publishes the same {profile.Name} identity as gateway {others} (a copied state directory?)";
            }
        }

        return domains.Select(d => conflicts.TryGetValue(d.Name, out var message) ? Mark(d, message, diagnostics) : d).ToList();
    }

    private static DomainView Mark(DomainView domain, string message, List<Diagnostic> diagnostics)
    {
        diagnostics.Add(new($"gateway/{domain.Name}", $"{message}; skipped as a tunnel peer", DiagnosticKind.SkippedPeer));
        return domain with { Tunnel = domain.Tunnel! with { Problem = new(message, DiagnosticKind.SkippedPeer) } };
    }
}
