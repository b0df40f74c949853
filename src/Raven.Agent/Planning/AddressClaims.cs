using System.Globalization;
using Raven.Api.Net;

namespace Raven.Agent.Planning;

/// <summary>
/// Decides which announced prefixes of each remote domain may enter the tunnel. An address is routed to a remote
/// domain only when that domain alone claims it: never when it belongs to the local domain (its nodes' IPs, their
/// subnets, this node's connected prefixes), and never when another remote L3 domain claims it too — a node IP that
/// two edges both use is reached by node name through L7 instead. Overlaps are cut out precisely, so the rest of a
/// partly overlapping prefix stays routed.
///
/// Only remote domains with an active tunnel endpoint compete: a domain without one routes nothing, so its claims
/// make no route ambiguous. Every agent reads the same Gateways, so a domain's members and gateway (and the central
/// gateway relaying for it) cut the same remote claims; only the connected prefixes are per node.
/// </summary>
internal static class AddressClaims
{
    private const int RivalsNamed = 3;

    /// <param name="Owner">The claiming gateway's name; null for the local domain and this node.</param>
    /// <param name="IsNodeIp">The node's own /32 (/128) rather than one of its subnets.</param>
    /// <param name="Text">How a diagnostic names the claim, e.g. "172.16.2.11/32 (IP of node b-w, gateway edge-b)".</param>
    private sealed record Claim(string? Owner, string NodeName, Cidr Cidr, bool IsNodeIp, string Text);

    /// <summary>Every domain, the remote L3 ones with <see cref="DomainView.Cidrs"/> cut down to what they alone claim.</summary>
    public static IReadOnlyList<DomainView> Resolve(
        DomainView local, IReadOnlyList<DomainView> domains, LocalNode node, List<ExcludedAddress> exclusions, List<Diagnostic> diagnostics)
    {
        var localClaims = LocalClaims(local, node);
        var remoteClaims = domains.Where(d => d.Name != local.Name && d.Tunnel is not null).SelectMany(RemoteClaims).ToList();
        var resolved = new List<DomainView>(domains.Count);
        foreach (var domain in domains)
        {
            resolved.Add(domain.Name == local.Name || domain.Tunnel is null
                ? domain
                : domain with { Cidrs = Routable(domain, localClaims, remoteClaims, exclusions, diagnostics) });
        }

        return resolved;
    }

    private static ValueList<Cidr> Routable(
        DomainView domain, List<Claim> localClaims, List<Claim> remoteClaims, List<ExcludedAddress> exclusions, List<Diagnostic> diagnostics)
    {
        var kept = new List<Cidr>();
        foreach (var claim in RemoteClaims(domain))
        {
            var rivals = localClaims.Where(l => l.Cidr.Overlaps(claim.Cidr))
                .Concat(remoteClaims.Where(r => r.Owner != domain.Name && r.Cidr.Overlaps(claim.Cidr)))
                .ToList();
            if (rivals.Count == 0)
            {
                kept.Add(claim.Cidr);
                continue;
            }

            var remainder = CidrMath.Exclude([claim.Cidr], rivals.Select(r => r.Cidr));
            kept.AddRange(remainder);
            var leftOut = CidrMath.Exclude([claim.Cidr], remainder).ToValueList();
            var collidesWith = Describe(rivals);
            var kind = claim.IsNodeIp ? "node IP" : "subnet";
            exclusions.Add(new ExcludedAddress(domain.Name, claim.NodeName, claim.Cidr, leftOut, collidesWith));
            var what = remainder.Count == 0
                ? "left out of the tunnel"
                : $"{string.Join(", ", leftOut)} left out of the tunnel, the rest routed";
            var hint = claim.IsNodeIp ? "reach the node by name through L7" : "give the domains distinct pod CIDRs";
            diagnostics.Add(new($"gateway/{domain.Name}",
                $"node {claim.NodeName}: {kind} {claim.Cidr} collides with {collidesWith}; {what} ({hint})",
                DiagnosticKind.ExcludedAddress));
        }

        return CidrMath.Merge(kept).ToValueList();
    }

    private static List<Claim> LocalClaims(DomainView local, LocalNode node)
    {
        var claims = new List<Claim>();
        foreach (var member in local.Nodes)
        {
            var ip = Cidr.Host(member.PrivateIp);
            claims.Add(new Claim(null, member.Name, ip, true, $"{ip} (IP of node {member.Name}, local domain {local.Name})"));
            claims.AddRange(member.Subnets.Where(s => s != ip).Select(s =>
                new Claim(null, member.Name, s, false, $"{s} (subnet of node {member.Name}, local domain {local.Name})")));
        }

        if (node.InternalIp is not null)
        {
            var ip = Cidr.Host(node.InternalIp);
            claims.Add(new Claim(null, node.Name, ip, true, $"{ip} (InternalIP of this node)"));
        }

        // A connected prefix holding one of the domain's own pod subnets is a pod network (a CNI bridge spanning the
        // cluster range, a flat LAN the pods share): there the cluster's routing decides, not the link, so it does not
        // make the other domains' pods local. The subnet itself is claimed above.
        var podSubnets = claims.Where(c => !c.IsNodeIp).Select(c => c.Cidr).ToList();
        claims.AddRange(CidrMath.Sort(node.ConnectedPrefixes)
            .Where(p => !podSubnets.Any(p.Contains))
            .Select(p => new Claim(null, node.Name, p, false, $"{p} (connected prefix of this node)")));
        return claims;
    }

    /// <summary>Per node: its subnets; the node's own /32 (present with forward-node-ip) counts as its node IP.</summary>
    private static IEnumerable<Claim> RemoteClaims(DomainView domain) =>
        domain.Nodes.SelectMany(n => n.Subnets.Select(s => s == Cidr.Host(n.PrivateIp)
            ? new Claim(domain.Name, n.Name, s, true, $"{s} (IP of node {n.Name}, gateway {domain.Name})")
            : new Claim(domain.Name, n.Name, s, false, $"{s} (subnet of node {n.Name}, gateway {domain.Name})")));

    private static string Describe(List<Claim> rivals)
    {
        var more = rivals.Count > RivalsNamed ? $" and {(rivals.Count - RivalsNamed).ToString(CultureInfo.InvariantCulture)} more" : "";
        return string.Join(", ", rivals.Take(RivalsNamed).Select(r => r.Text)) + more;
    }
}
