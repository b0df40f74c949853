using Raven.Api;
using Raven.Controller.Election;

namespace Raven.Cli.Diagnose;

/// <summary>
/// Addresses two domains share cannot be routed to either over L3 (the controller's own overlap finder decides
/// which); reaching those nodes by name through the L7 proxy still works. Pod CIDRs fail while L3 is on; node IPs
/// pass when L7 reaches both domains, and warn when it does not.
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

        // Shared node IPs are what the L7 proxy exists for (upstream's reason for it): with L7 on and a live proxy
        // endpoint on both sides, the cluster reaches those nodes by name as designed, so the overlap is reported
        // and passes; without that path it is a warning.
        var servedByL7 = new List<string>();
        foreach (var (gateway, overlap) in Overlaps(nodeIps))
        {
            var message = $"gateways {gateway} and {overlap.OtherGateway} share node IPs: {overlap.Described}";
            var withoutProxy = new[] { gateway, overlap.OtherGateway }.Where(g => !HasActiveProxy(context, g)).ToList();
            if (context.Switches.Proxy && withoutProxy.Count == 0)
            {
                servedByL7.Add(message);
                continue;
            }

            var missing = context.Switches.Proxy ? $"{string.Join(" and ", withoutProxy)} {(withoutProxy.Count == 1 ? "has" : "have")} no active proxy endpoint" : $"{WellKnown.EnableL7ProxyKey} is off";
            findings.Add(CheckResult.Warning(Name, $"{message}: L3 cannot route to them and L7 cannot reach them by name either ({missing})",
                context.Switches.Proxy
                    ? $"add a {WellKnown.EndpointTypeProxy} endpoint to {string.Join(" and ", withoutProxy)} (spec.endpoints) so those nodes are reached by name, or renumber one domain"
                    : $"set {WellKnown.EnableL7ProxyKey}: \"true\" in {WellKnown.WorkingNamespace}/{WellKnown.RavenGlobalConfig} so those nodes are reached by name, or renumber one domain"));
        }

        var passed = $"no pod CIDR is shared between {domains.Count} domain(s)" + (servedByL7.Count == 0
            ? " and no node IP either"
            : $"; L3 does not route to shared node IPs, the L7 proxy reaches those nodes by name: {string.Join("; ", servedByL7)}");
        return findings.OrPass(Name, passed);
    }

    private static bool HasActiveProxy(DiagnoseContext context, string gateway) =>
        context.Gateways.TryGetValue(gateway, out var found) && (found.Status?.ActiveEndpoints ?? []).Any(e => e.Type == WellKnown.EndpointTypeProxy);

    /// <summary>Each pair of domains once (the finder reports both directions).</summary>
    private static IEnumerable<(string Gateway, AddressOverlap Overlap)> Overlaps(List<GatewayMembers> domains) =>
        domains.SelectMany(d => AddressOverlaps.Find(d.Gateway, d.Nodes, domains)
            .Where(o => string.CompareOrdinal(d.Gateway, o.OtherGateway) < 0)
            .Select(o => (d.Gateway, o)));
}
