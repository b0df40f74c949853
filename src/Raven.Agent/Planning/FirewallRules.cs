using Raven.Api.Net;
namespace Raven.Agent.Planning;

/// <summary>The raven ipsets and iptables chains, as data for the iptables-restore / ipset driver.</summary>
internal static class FirewallRules
{
    public static IpSetPlan MarkSet(IEnumerable<Cidr> remoteCidrs) =>
        new(KernelNames.MarkSet, IpSetType.HashNet,
            CidrMath.Merge(remoteCidrs).Select(c => new IpSetEntry(c)).ToValueList());

    /// <summary>
    /// Members mark traffic going TO remote domains; the gateway marks traffic coming FROM them, so decrypted
    /// packets for member nodes take table 9027 to raven0. Host traffic is covered through the OUTPUT hook.
    /// </summary>
    public static FirewallChain MarkChain(SetMatchDirection direction) =>
        new(FirewallTable.Mangle, KernelNames.MarkChain,
            new ChainHook[]
            {
                new("OUTPUT", "raven traffic rules for mark"),
                new("PREROUTING", "raven traffic rules for mark"),
            }.ToValueList(),
            new[]
            {
                new FirewallRule(new RuleMatch(Set: new SetMatch(KernelNames.MarkSet, direction)),
                    new SetMarkAction(KernelNames.RavenMark, KernelNames.RavenMark), "raven traffic requiring certain mark"),
            }.ToValueList());

    /// <summary>
    /// Pairs (local, remote) and (remote, local), plus both directions of every pair this gateway relays, so no
    /// CNI MASQUERADE rewrites cross-domain pod sources.
    /// </summary>
    public static IpSetPlan SkipNatSet(IEnumerable<Cidr> localCidrs, IEnumerable<Cidr> remoteCidrs, IEnumerable<(DomainView A, DomainView B)> relayedPairs)
    {
        var local = CidrMath.Merge(localCidrs);
        var remote = CidrMath.Merge(remoteCidrs);
        var entries = new HashSet<IpSetEntry>();
        foreach (var l in local)
        {
            foreach (var r in remote)
            {
                entries.Add(new IpSetEntry(l, r));
                entries.Add(new IpSetEntry(r, l));
            }
        }

        foreach (var (a, b) in relayedPairs)
        {
            foreach (var x in a.Cidrs)
            {
                foreach (var y in b.Cidrs)
                {
                    entries.Add(new IpSetEntry(x, y));
                    entries.Add(new IpSetEntry(y, x));
                }
            }
        }

        return new IpSetPlan(KernelNames.SkipNatSet, IpSetType.HashNetNet,
            entries.OrderBy(e => e.First).ThenBy(e => e.Second).ToValueList());
    }

    /// <summary>Unlike upstream the jump is not limited to -o raven-wg0: the set alone decides, on every path.</summary>
    public static FirewallChain SkipNatChain() =>
        new(FirewallTable.Nat, KernelNames.PostRoutingChain,
            new[] { new ChainHook("POSTROUTING", "raven traffic should skip NAT") }.ToValueList(),
            new[]
            {
                new FirewallRule(new RuleMatch(Set: new SetMatch(KernelNames.SkipNatSet, SetMatchDirection.SourceDestination)),
                    new AcceptAction(), "raven cross-domain traffic is not masqueraded"),
            }.ToValueList());

    /// <summary>Clamps SYNs in both directions through the WireGuard device so TCP never depends on PMTU discovery.</summary>
    public static FirewallChain MssChain(int mss, string wireGuardDevice) =>
        new(FirewallTable.Mangle, KernelNames.MssChain,
            new[] { new ChainHook("FORWARD", "raven clamp TCP MSS to the tunnel MTU") }.ToValueList(),
            new[]
            {
                new FirewallRule(new RuleMatch(InInterface: wireGuardDevice, TcpSynOnly: true),
                    new ClampMssAction(mss), "raven clamp MSS from tunnel"),
                new FirewallRule(new RuleMatch(OutInterface: wireGuardDevice, TcpSynOnly: true),
                    new ClampMssAction(mss), "raven clamp MSS into tunnel"),
            }.ToValueList());
}
