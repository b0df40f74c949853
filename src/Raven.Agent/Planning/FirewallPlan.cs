using Raven.Api.Net;
namespace Raven.Agent.Planning;

public enum IpSetType
{
    /// <summary>hash:net</summary>
    HashNet,

    /// <summary>hash:net,net</summary>
    HashNetNet,
}

public sealed record IpSetPlan(string Name, IpSetType Type, ValueList<IpSetEntry> Entries);

/// <summary>One member: a prefix, or a (source, destination) pair for hash:net,net.</summary>
public sealed record IpSetEntry(Cidr First, Cidr? Second = null)
{
    public override string ToString() => Second is { } second ? $"{First},{second}" : First.ToString();
}

public enum FirewallTable
{
    Mangle,
    Nat,
}

/// <summary>
/// A raven-owned chain: its rules are the whole content; each hook is a jump from a built-in chain, inserted at
/// position 1 so earlier ACCEPTs (Calico, Flannel) cannot bypass it.
/// </summary>
public sealed record FirewallChain(FirewallTable Table, string Name, ValueList<ChainHook> Hooks, ValueList<FirewallRule> Rules);

public sealed record ChainHook(string BuiltinChain, string Comment, string? OutInterface = null);

public sealed record FirewallRule(RuleMatch Match, RuleAction Action, string Comment);

public enum SetMatchDirection
{
    Source,
    Destination,
    SourceDestination,
}

public sealed record SetMatch(string SetName, SetMatchDirection Direction);

public sealed record RuleMatch(
    SetMatch? Set = null,
    string? InInterface = null,
    string? OutInterface = null,
    bool TcpSynOnly = false);

public abstract record RuleAction;

/// <summary>MARK --set-xmark Mark/Mask: only the masked bits change.</summary>
public sealed record SetMarkAction(uint Mark, uint Mask) : RuleAction;

public sealed record AcceptAction : RuleAction;

/// <summary>TCPMSS --set-mss Mss (the kernel never raises an MSS that is already lower).</summary>
public sealed record ClampMssAction(int Mss) : RuleAction;
