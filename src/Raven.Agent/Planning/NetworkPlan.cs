using Raven.Api.Net;
namespace Raven.Agent.Planning;

public enum PlanRole
{
    /// <summary>The node belongs to no Gateway: no L3 state at all.</summary>
    NotInDomain,

    /// <summary>L3 is off for the domain, or it has no active tunnel endpoint: all L3 state is removed.</summary>
    Disabled,

    /// <summary>A node of a domain that is not its active tunnel endpoint: VXLAN towards that gateway.</summary>
    DomainMember,

    /// <summary>The domain's active tunnel endpoint: the tunnel to other domains plus the VXLAN hub.</summary>
    TunnelGateway,

    /// <summary>
    /// A standby tunnel endpoint of the domain (tunnel Replicas &gt; 1): a member for its own traffic, with its tunnels
    /// to the remote gateways established and kept alive but carrying nothing, so taking over changes only routes
    /// and peer bindings.
    /// </summary>
    StandbyGateway,
}

/// <summary>
/// The complete desired L3 state of one node. Anything a driver owns that is absent here must be removed,
/// so an empty plan (NotInDomain, Disabled) means "tear everything down". All collections are sorted.
/// </summary>
public sealed record NetworkPlan(
    PlanRole Role,
    string NodeName,
    string? GatewayName,
    string? CentralGateway,
    MtuPlan? Mtu,
    VxlanPlan? Vxlan,
    TunnelPlan? Tunnel,
    ValueList<DomainPath> Paths,
    ValueList<PolicyRule> Rules,
    ValueList<PlannedRoute> Routes,
    ValueList<IpSetPlan> IpSets,
    ValueList<FirewallChain> Chains,
    ValueList<SysctlSetting> Sysctls,
    ValueList<Diagnostic> Diagnostics,
    ValueList<ExcludedAddress> Exclusions)
{
    public static NetworkPlan Empty(PlanRole role, string nodeName, string? gatewayName, IEnumerable<Diagnostic> diagnostics) =>
        new(role, nodeName, gatewayName, null, null, null, null, ValueList<DomainPath>.Empty, ValueList<PolicyRule>.Empty,
            ValueList<PlannedRoute>.Empty, ValueList<IpSetPlan>.Empty, ValueList<FirewallChain>.Empty,
            ValueList<SysctlSetting>.Empty, Diagnostic.Sorted(diagnostics), ValueList<ExcludedAddress>.Empty);

    /// <summary>How many inputs the plan skipped because they were malformed or contradictory.</summary>
    public int SkippedInputs => Diagnostics.Count(d => d.Kind == DiagnosticKind.SkippedInput);

    /// <summary>Remote gateways left out of the tunnel because their config is unusable or conflicting.</summary>
    public int SkippedPeers => Diagnostics.Count(d => d.Kind == DiagnosticKind.SkippedPeer);
}

public enum DiagnosticKind
{
    /// <summary>A fact about the topology (unreachable domain, key not yet published, ...).</summary>
    Notice,

    /// <summary>A malformed or contradictory input (field, node or gateway) was skipped.</summary>
    SkippedInput,

    /// <summary>A remote address was kept out of the tunnel because it is local or claimed by another domain.</summary>
    ExcludedAddress,

    /// <summary>
    /// A remote gateway's tunnel config is malformed or conflicts with another gateway's (a cloned WireGuard key):
    /// that peer alone is left out, every other peer is still reconciled. Also a Warning event on its Gateway.
    /// </summary>
    SkippedPeer,
}

/// <summary>Something in the input that the plan had to skip or could not satisfy; never fatal.</summary>
public sealed record Diagnostic(string Subject, string Message, DiagnosticKind Kind = DiagnosticKind.Notice)
{
    public override string ToString() => $"{Subject}: {Message}";

    internal static ValueList<Diagnostic> Sorted(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Distinct()
            .OrderBy(d => d.Subject, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)
            .ToValueList();
}

public enum PathKind
{
    Direct,
    Relay,
}

/// <summary>How traffic to a remote domain leaves the local domain: straight to it, or via the central gateway.</summary>
public sealed record DomainPath(string Gateway, PathKind Kind, string Via, ValueList<Cidr> Cidrs)
{
    /// <summary>
    /// Direct through a punched hole (both ends NATed) because the probes chose it, or relayed while a punched peer
    /// is tried beside the relay (<see cref="PunchStage"/>); null: no punch for this pair.
    /// </summary>
    public PunchStage? Punch { get; init; }
}

/// <summary>Where a punchable pair stands, as the local probes decided (<see cref="LocalNode.PunchedPaths"/>).</summary>
public enum PunchStage
{
    /// <summary>Relayed; the punched peer is configured and kept alive, routing nothing.</summary>
    Relayed,

    /// <summary>Relayed; the punched peer routes the remote tunnel endpoint's node /32 so probes measure the direct path.</summary>
    Trial,

    /// <summary>The remote domain's CIDRs go through the punched peer; the relay stays configured for the way back.</summary>
    Direct,
}

/// <summary>MTU of every hop the plan creates; see <see cref="MtuCalculator"/>.</summary>
public sealed record MtuPlan(int VxlanLinkMtu, int TunnelLinkMtu, int RouteMtu, int TcpMss);

public sealed record SysctlSetting(string Key, string Value);
