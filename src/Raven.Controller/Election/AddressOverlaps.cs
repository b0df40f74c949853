using System.Globalization;
using Raven.Api.Net;

namespace Raven.Controller.Election;

/// <summary>Another gateway and the facts of its member nodes.</summary>
public sealed record GatewayMembers(string Gateway, IReadOnlyList<NodeFacts> Nodes)
{
    /// <summary>The VPN driver its active tunnel endpoint publishes, for <see cref="MixedDrivers"/>; null when unknown.</summary>
    public string? VpnDriver { get; init; }
}

/// <summary>
/// The addresses one gateway's members share with another gateway's: equal node IPs, or a node IP or pod CIDR that
/// overlaps one of the other side's. <see cref="Pairs"/> describe them, at most <see cref="AddressOverlaps.PairsNamed"/>.
/// </summary>
public sealed record AddressOverlap(string OtherGateway, IReadOnlyList<string> Pairs, int Total)
{
    /// <summary>The pairs as one sentence fragment, "node IP 172.16.2.103 of hz-1 and of sz-1, ...".</summary>
    public string Described => string.Join(", ", Pairs) +
        (Total > Pairs.Count ? $" and {(Total - Pairs.Count).ToString(CultureInfo.InvariantCulture)} more" : "");
}

/// <summary>
/// Pure: finds the node IPs and pod CIDRs of a gateway's members that overlap another gateway's. Agents route such
/// addresses to neither domain (and never into the tunnel from the domains that own them), so the operator learns
/// about them here, with both gateways and the addresses named.
/// </summary>
public static class AddressOverlaps
{
    public const int PairsNamed = 5;

    private sealed record Claim(string Node, Cidr Cidr, bool IsNodeIp)
    {
        public string Shown => IsNodeIp ? $"node IP {Cidr.Network}" : $"pod CIDR {Cidr}";
    }

    /// <summary>One entry per other gateway sharing addresses with <paramref name="members"/>, sorted by gateway name.</summary>
    public static IReadOnlyList<AddressOverlap> Find(string gateway, IReadOnlyList<NodeFacts> members, IEnumerable<GatewayMembers> others)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(others);
        var mine = members.SelectMany(Claims).ToList();
        var found = new List<AddressOverlap>();
        foreach (var other in others.Where(o => o.Gateway != gateway).OrderBy(o => o.Gateway, StringComparer.Ordinal))
        {
            var theirs = other.Nodes.SelectMany(Claims).ToList();
            var pairs = mine.SelectMany(a => theirs.Where(b => a.Cidr.Overlaps(b.Cidr)).Select(b => Describe(a, b))).Distinct().ToList();
            if (pairs.Count > 0)
            {
                found.Add(new AddressOverlap(other.Gateway, [.. pairs.Take(PairsNamed)], pairs.Count));
            }
        }

        return found;
    }

    private static IEnumerable<Claim> Claims(NodeFacts node)
    {
        if (node.HasAddress && Cidr.TryParseAddress(node.InternalIp, out var ip))
        {
            yield return new Claim(node.Name, Cidr.Host(ip), true);
        }

        foreach (var text in node.PodCidrs)
        {
            if (Cidr.TryParse(text, out var cidr, out _))
            {
                yield return new Claim(node.Name, cidr, false);
            }
        }
    }

    private static string Describe(Claim mine, Claim theirs) =>
        mine.IsNodeIp && theirs.IsNodeIp
            ? $"{mine.Shown} of {mine.Node} and of {theirs.Node}"
            : $"{mine.Shown} of {mine.Node} overlaps {theirs.Shown} of {theirs.Node}";
}
