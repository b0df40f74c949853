namespace Raven.Agent.Planning;

/// <summary>
/// Gateways whose published tunnel identity (WireGuard: the public key) another gateway also publishes, typically
/// a cloned state directory. The backend could not tell their packets apart, and configuring both would fail the
/// whole tunnel, so each such remote gateway is marked unusable (a <see cref="DiagnosticKind.SkippedPeer"/>) and
/// every other peer is planned as usual. When the local gateway is one of them, the remote ones are skipped.
/// </summary>
internal static class PeerConflicts
{
    public static IReadOnlyList<DomainView> Resolve(IReadOnlyList<DomainView> domains, ITunnelProfile profile, List<Diagnostic> diagnostics) =>
        DropSharedStandbys(ResolvePrimaries(domains, profile, diagnostics), profile, diagnostics);

    private static IReadOnlyList<DomainView> ResolvePrimaries(IReadOnlyList<DomainView> domains, ITunnelProfile profile, List<Diagnostic> diagnostics)
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

    /// <summary>
    /// A standby that shares its identity with any other tunnel endpoint (active or standby, of any domain) is not
    /// kept ready: a standby is never worth a conflict that could break a serving peer.
    /// </summary>
    private static IReadOnlyList<DomainView> DropSharedStandbys(IReadOnlyList<DomainView> domains, ITunnelProfile profile, List<Diagnostic> diagnostics)
    {
        if (domains.All(d => d.Standbys.Count == 0))
        {
            return domains;
        }

        var counts = domains
            .SelectMany(d => d.Standbys.Prepend(d.Tunnel).OfType<TunnelEndpointView>())
            .Select(t => profile.Identity(t.Config))
            .OfType<string>()
            .GroupBy(i => i, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return domains.Select(d => d.Standbys.Count == 0 ? d : d with
        {
            Standbys = d.Standbys.Where(s => Keep(d, s)).ToValueList(),
        }).ToList();

        bool Keep(DomainView domain, TunnelEndpointView standby)
        {
            if (profile.Identity(standby.Config) is not { } identity || counts[identity] == 1)
            {
                return true;
            }

            diagnostics.Add(new($"gateway/{domain.Name}",
                $"standby tunnel endpoint {standby.NodeName} publishes the same {profile.Name} identity as another tunnel endpoint (a copied state directory?); not kept ready",
                DiagnosticKind.SkippedPeer));
            return false;
        }
    }

    private static DomainView Mark(DomainView domain, string message, List<Diagnostic> diagnostics)
    {
        diagnostics.Add(new($"gateway/{domain.Name}", $"{message}; skipped as a tunnel peer", DiagnosticKind.SkippedPeer));
        return domain with { Tunnel = domain.Tunnel! with { Problem = new(message, DiagnosticKind.SkippedPeer) } };
    }
}
