namespace Raven.Agent.Planning;

/// <summary>
/// Decides how two gateways exchange traffic. Every agent evaluates it on the same Gateway objects, so it must be a
/// pure function of its arguments: both ends, and the central gateway, then agree without talking.
/// NAT discovery and hole punching will replace this policy, not the planner.
/// </summary>
public interface IPathPolicy
{
    /// <summary>The gateway that relays for pairs that cannot talk directly, or null when there is none.</summary>
    DomainView? SelectCentral(IReadOnlyList<DomainView> domains);

    /// <summary>Direct or relay for the pair; must be symmetric in <paramref name="a"/> and <paramref name="b"/>.</summary>
    PathKind Choose(DomainView a, DomainView b);

    /// <summary>
    /// Whether a pair that <see cref="Choose"/> relays may also try a punched direct path (tried and measured by the
    /// two ends, relayed until it proves cheaper); must be symmetric. None by default.
    /// </summary>
    bool MayPunch(DomainView a, DomainView b) => false;
}

/// <summary>
/// Direct when at least one side can be dialled (WireGuard lets the other side dial in, and roams to its address);
/// relay otherwise. Central = the lowest-named exposed gateway that is not under NAT and has a public address.
/// </summary>
public sealed class ReachabilityPathPolicy : IPathPolicy
{
    public static ReachabilityPathPolicy Instance { get; } = new();

    public DomainView? SelectCentral(IReadOnlyList<DomainView> domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        return domains
            .Where(d => d.Exposed && d.Tunnel is { UnderNat: false, PublicIp: not null })
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public PathKind Choose(DomainView a, DomainView b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Tunnel?.IsDialable == true || b.Tunnel?.IsDialable == true ? PathKind.Direct : PathKind.Relay;
    }

    /// <summary>What <see cref="NatPairing"/> says of the two active tunnel endpoints' published NAT types.</summary>
    public bool MayPunch(DomainView a, DomainView b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Tunnel is { } ta && b.Tunnel is { } tb && NatPairing.Reach(ta, tb) == PairReach.Punch;
    }
}
