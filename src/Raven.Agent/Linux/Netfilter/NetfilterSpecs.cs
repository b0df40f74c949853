namespace Raven.Agent.Linux.Netfilter;

/// <summary>
/// An ipset the agent owns. <see cref="Members"/> use ipset syntax ("10.0.0.0/24", or "a/b,c/d" for hash:net,net);
/// they are compared after normalisation, so "10.0.0.1/32" and "10.0.0.1" are the same member.
/// </summary>
public sealed record IpSetSpec(string Name, string Type, IReadOnlyList<string> Members);

/// <summary>
/// A user-defined chain the agent owns, with its complete rule list in iptables-save syntax (the text after
/// "-A CHAIN "). Rules are compared token by token, so quoting style does not matter.
/// </summary>
public sealed record IptablesChainSpec(string Table, string Name, IReadOnlyList<string> Rules);

/// <summary>
/// A single jump from a built-in chain into an owned chain: "-I FromChain 1 Match -j ToChain". Duplicates and
/// stale variants are deleted. With <see cref="MustBeFirst"/> (the default) a correct jump that something else has
/// pushed down is moved back to the top, so earlier ACCEPTs (e.g. Calico's) cannot bypass it; set it to false to
/// accept any position and avoid fighting another agent that also insists on the top slot.
/// </summary>
public sealed record IptablesJumpSpec(string Table, string FromChain, string ToChain, string Match = "")
{
    public bool MustBeFirst { get; init; } = true;

    public string RuleText => string.IsNullOrWhiteSpace(Match) ? $"-j {ToChain}" : $"{Match.Trim()} -j {ToChain}";
}

/// <summary>
/// Everything the agent wants in netfilter. Only names listed in <see cref="OwnedSets"/> / <see cref="OwnedChains"/>
/// are ever created, flushed or removed; an owned name absent from the desired lists is removed.
/// </summary>
public sealed record NetfilterState(
    IReadOnlyList<IpSetSpec> Sets,
    IReadOnlyList<IptablesChainSpec> Chains,
    IReadOnlyList<IptablesJumpSpec> Jumps,
    IReadOnlyCollection<string> OwnedSets,
    IReadOnlyCollection<(string Table, string Chain)> OwnedChains);
