using Raven.Api.Net;
namespace Raven.Agent.Planning;

/// <summary>A tunnel peer of the local gateway and the domains whose traffic it carries (itself first).</summary>
internal sealed record PeerRoute(DomainView Peer, IReadOnlyList<DomainView> Carried);

/// <summary>A remote domain the local tunnel endpoint punches towards, and how far the probes took it.</summary>
internal sealed record PunchCandidate(DomainView Remote, PunchStage Stage);

/// <summary>
/// The inter-domain view from one domain: which remote domains are reachable, through which peer, and (when the
/// local domain is the central gateway) which remote pairs it relays for. Members and their gateway compute the
/// same topology, so members route exactly the CIDRs their gateway can deliver. The domains' CIDRs arrive already
/// cut by <see cref="AddressClaims"/>, so no two paths share an address and none holds a local one.
/// </summary>
internal sealed record Topology(
    DomainView? Central,
    IReadOnlyList<DomainPath> Paths,
    IReadOnlyList<PeerRoute> Peers,
    IReadOnlyList<(DomainView A, DomainView B)> RelayedPairs)
{
    /// <summary>Pairs with the local domain that may be punched (serving tunnel endpoint only), in name order.</summary>
    public IReadOnlyList<PunchCandidate> Punches { get; init; } = [];

    public PunchStage? PunchOf(string domain) => Punches.FirstOrDefault(p => p.Remote.Name == domain)?.Stage;

    public IEnumerable<Cidr> RemoteCidrs => Peers.SelectMany(p => p.Carried).SelectMany(d => d.Cidrs);

    /// <param name="punched">
    /// Null where this node does not punch (a member, a standby, a backend that cannot); otherwise the probes' stage
    /// per remote domain (absent: relayed).
    /// </param>
    public static Topology Compute(DomainView local, IReadOnlyList<DomainView> domains, IPathPolicy policy, List<Diagnostic> diagnostics,
        IReadOnlyDictionary<string, PunchStage>? punched = null)
    {
        var punches = new List<PunchCandidate>();
        var connectable = domains.Where(d => d.Tunnel is not null).ToList();
        var central = policy.SelectCentral(connectable);
        var viaPeer = new Dictionary<string, (DomainView Peer, List<DomainView> Carried)>(StringComparer.Ordinal);
        var paths = new List<DomainPath>();
        foreach (var remote in domains.Where(d => d.Name != local.Name))
        {
            var subject = $"gateway/{remote.Name}";
            if (remote.Tunnel is null)
            {
                diagnostics.Add(new(subject, "no active tunnel endpoint; its CIDRs are unreachable"));
                continue;
            }

            var kind = policy.Choose(local, remote);
            PunchStage? punch = null;
            if (kind == PathKind.Relay && punched is not null && remote.Tunnel.Problem is null && policy.MayPunch(local, remote))
            {
                punch = punched.GetValueOrDefault(remote.Name, PunchStage.Relayed);
                punches.Add(new PunchCandidate(remote, punch.Value));
                kind = punch == PunchStage.Direct ? PathKind.Direct : PathKind.Relay;
            }

            var via = kind == PathKind.Direct ? remote : central;
            if (via is null || via.Name == local.Name || (kind == PathKind.Relay && via.Name == remote.Name))
            {
                diagnostics.Add(new(subject, "needs a relay but no usable central gateway (exposed, not under NAT) exists; unreachable"));
                continue;
            }

            if (via.Tunnel?.Problem is { } problem)
            {
                diagnostics.Add(new($"gateway/{via.Name}", $"{problem.Message}; peer omitted, {remote.Name} unreachable"));
                continue;
            }

            paths.Add(new DomainPath(remote.Name, kind, via.Name, remote.Cidrs) { Punch = punch });
            if (!viaPeer.TryGetValue(via.Name, out var entry))
            {
                entry = (via, []);
                viaPeer.Add(via.Name, entry);
            }

            entry.Carried.Add(remote);
        }

        var peers = viaPeer.Values
            .OrderBy(p => p.Peer.Name, StringComparer.Ordinal)
            .Select(p => new PeerRoute(p.Peer, [.. p.Carried.OrderBy(d => d.Name != p.Peer.Name).ThenBy(d => d.Name, StringComparer.Ordinal)]))
            .ToList();
        var ordered = paths.OrderBy(p => p.Gateway, StringComparer.Ordinal).ToList();
        return new Topology(central, ordered, peers, RelayedPairsAt(local, central, peers, policy)) { Punches = punches };
    }

    private static List<(DomainView A, DomainView B)> RelayedPairsAt(DomainView local, DomainView? central, List<PeerRoute> peers, IPathPolicy policy)
    {
        var pairs = new List<(DomainView A, DomainView B)>();
        if (central is null || central.Name != local.Name)
        {
            return pairs;
        }

        var direct = peers.Where(p => p.Carried.Any(d => d.Name == p.Peer.Name)).Select(p => p.Peer).ToList();
        for (var i = 0; i < direct.Count; i++)
        {
            for (var j = i + 1; j < direct.Count; j++)
            {
                if (policy.Choose(direct[i], direct[j]) == PathKind.Relay)
                {
                    pairs.Add((direct[i], direct[j]));
                }
            }
        }

        return pairs;
    }
}
