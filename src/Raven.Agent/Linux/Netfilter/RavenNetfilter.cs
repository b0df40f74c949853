using Raven.Agent.Planning;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>
/// Maps the planner's firewall structures (<see cref="IpSetPlan"/>, <see cref="FirewallChain"/>) onto the
/// restore-level <see cref="NetfilterState"/>. The rules themselves are decided only by the planner; this layer
/// adds nothing but two kernel adaptations: the raven0 unmark chain that <see cref="VxlanPlan.ClearMarkOnEgress"/>
/// asks for, and per-pair ACCEPT rules where the kernel lacks hash:net,net sets.
/// </summary>
public static class RavenNetfilter
{
    public const string MarkSet = KernelNames.MarkSet;
    public const string SkipNatSet = KernelNames.SkipNatSet;
    public const string MarkChain = KernelNames.MarkChain;
    public const string PostRoutingChain = KernelNames.PostRoutingChain;
    public const string MssChain = KernelNames.MssChain;

    /// <summary>
    /// Clears the Raven mark bit on packets leaving through raven0 (mangle POSTROUTING), so the encapsulated outer
    /// packet is not routed by the fwmark rule back into table 9027. Upstream uses a tc skbedit filter for this.
    /// </summary>
    public const string UnmarkChain = "RAVEN-UNMARK";

    public const string SkipNatSetType = "hash:net,net";

    public static readonly IReadOnlyCollection<string> OwnedSets = [MarkSet, SkipNatSet];

    public static readonly IReadOnlyCollection<(string Table, string Chain)> OwnedChains =
        [("mangle", MarkChain), ("mangle", MssChain), ("mangle", UnmarkChain), ("nat", PostRoutingChain)];

    /// <summary>The netfilter part of a plan: its sets and chains, plus the unmark chain when raven0 asks for it.</summary>
    /// <param name="hashNetNetSupported">False on kernels without hash:net,net; see <see cref="NetfilterApplier.SupportsIpSetTypeAsync"/>.</param>
    public static NetfilterState FromPlan(NetworkPlan plan, bool hashNetNetSupported)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var chains = plan.Chains.ToList();
        if (plan.Vxlan is { ClearMarkOnEgress: true } vxlan)
        {
            chains.Add(UnmarkChainFor(vxlan.Name));
        }

        return Render(plan.IpSets, chains, hashNetNetSupported);
    }

    /// <summary>The unmark chain in the planner's vocabulary: -o DEVICE -j MARK --set-xmark 0x0/0x40.</summary>
    public static FirewallChain UnmarkChainFor(string device) =>
        new(FirewallTable.Mangle, UnmarkChain,
            new[] { new ChainHook("POSTROUTING", "raven clear mark before encapsulation") }.ToValueList(),
            new[]
            {
                new FirewallRule(new RuleMatch(OutInterface: device), new SetMarkAction(0, KernelNames.RavenMark),
                    "raven outer vxlan packets leave unmarked"),
            }.ToValueList());

    /// <summary>Renders sets and chains. Chains outside <see cref="OwnedChains"/> are refused by the applier.</summary>
    public static NetfilterState Render(IEnumerable<IpSetPlan> sets, IEnumerable<FirewallChain> chains, bool hashNetNetSupported)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(chains);
        var setList = sets.ToList();
        var expanded = hashNetNetSupported
            ? new Dictionary<string, IpSetPlan>(StringComparer.Ordinal)
            : setList.Where(s => s.Type == IpSetType.HashNetNet).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var setSpecs = setList.Where(s => !expanded.ContainsKey(s.Name))
            .Select(s => new IpSetSpec(s.Name, SetType(s.Type), s.Entries.Select(e => e.ToString()).ToList()))
            .ToList();
        var chainSpecs = new List<IptablesChainSpec>();
        var jumps = new List<IptablesJumpSpec>();
        foreach (var chain in chains)
        {
            string table = TableName(chain.Table);
            chainSpecs.Add(new IptablesChainSpec(table, chain.Name,
                chain.Rules.SelectMany(rule => FirewallRuleText.Render(rule, expanded)).ToList()));
            jumps.AddRange(chain.Hooks.Select(hook => new IptablesJumpSpec(table, hook.BuiltinChain, chain.Name, FirewallRuleText.HookMatch(hook))));
        }

        return new NetfilterState(setSpecs, chainSpecs, jumps, OwnedSets, OwnedChains);
    }

    /// <summary>Desired state that removes everything Raven owns.</summary>
    public static NetfilterState Cleanup() => new([], [], [], OwnedSets, OwnedChains);

    public static string TableName(FirewallTable table) => table switch
    {
        FirewallTable.Mangle => "mangle",
        FirewallTable.Nat => "nat",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "unknown firewall table"),
    };

    private static string SetType(IpSetType type) => type switch
    {
        IpSetType.HashNet => "hash:net",
        IpSetType.HashNetNet => SkipNatSetType,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ipset type"),
    };
}
