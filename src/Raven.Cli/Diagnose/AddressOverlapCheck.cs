using Raven.Api;
using Raven.Controller.Election;

namespace Raven.Cli.Diagnose;

/// <summary>
/// Addresses two domains share cannot be routed to either over L3 (the controller's own overlap finder decides
/// which); reaching those nodes by name through the L7 proxy still works. Pod CIDRs fail while L3 is on, node IPs warn.
/// </summary>
internal static class AddressOverlapCheck
{
    public const string Name = "address-overlap";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var domains = context.Nodes.Where(n => context.DomainOf(n) is not null).GroupBy(n => context.DomainOf(n)!, StringComparer.Ordinal)
            .Select(g => (Gateway: g.Key, Facts: g.Select(n => context.Facts[n.Metadata.Name]).ToList()))
            .OrderBy(d => d.Gateway, StringComparer.Ordinal).ToList();
        var podCidrs = domains.Select(d => new GatewayMembers(d.Gateway, [.. d.Facts.Select(f => f with { InternalIp = "" })])).ToList();
        var nodeIps = domains.Select(d => new GatewayMembers(d.Gateway, [.. d.Facts.Select(f => f with { PodCidrs = [] })])).ToList();
        var findings = new List<CheckResult>();
        foreach (var (gateway, overlap) in Overlaps(podCidrs))
        {
            var message = $"gateways {gateway} and {overlap.OtherGateway} share pod CIDRs: {overlap.Described}";
            findings.Add(context.Switches.Tunnel
                ? CheckResult.Failed(Name, message + ": L3 routes them to neither domain",
                    "give the domains distinct pod CIDRs; until then reach those nodes by name through L7 (" + WellKnown.EnableL7ProxyKey + ")")
                : CheckResult.Warning(Name, message + ": harmless while " + WellKnown.EnableL3TunnelKey + " is off",
                    "give the domains distinct pod CIDRs before turning L3 on; L7 (by node name) reaches them either way"));
        }

        foreach (var (gateway, overlap) in Overlaps(nodeIps))
        {
            findings.Add(CheckResult.Warning(Name, $"gateways {gateway} and {overlap.OtherGateway} share node IPs: {overlap.Described}: L3 cannot route to them",
                "reach those nodes by name through the L7 proxy (kubectl logs/exec work), or renumber one domain"));
        }

        return findings.OrPass(Name, $"no pod CIDR or node IP is shared between {domains.Count} domain(s)");
    }

    /// <summary>Each pair of domains once (the finder reports both directions).</summary>
    private static IEnumerable<(string Gateway, AddressOverlap Overlap)> Overlaps(List<GatewayMembers> domains) =>
        domains.SelectMany(d => AddressOverlaps.Find(d.Gateway, d.Nodes, domains)
            .Where(o => string.CompareOrdinal(d.Gateway, o.OtherGateway) < 0)
            .Select(o => (d.Gateway, o)));
}
