using Raven.Agent.Nat;

namespace Raven.Agent.Planning;

/// <summary>How two gateways can exchange packets, before anything is measured.</summary>
public enum PairReach
{
    /// <summary>At least one side can be dialled (not under NAT, an operator's port forward, a full cone).</summary>
    Dial,

    /// <summary>Neither can be dialled, but both sending at once from the tunnel's port opens both NATs.</summary>
    Punch,

    /// <summary>Nothing direct can work (or nothing is known): only through the central gateway.</summary>
    Relay,
}

/// <summary>
/// The pure hole-punching rule over the published <c>natType</c>s (docs/nat-traversal.md, "Hole punching"). A punch
/// needs each side to know where the other's packets must go, and each side's first packet to open its own NAT for
/// the other's:
/// * both mappings endpoint-independent (any cone, or no translation): each dials the other's published
///   publicIP:publicPort, and each side's own outgoing packet opens its own filter — whatever the filtering;
/// * one side symmetric: its public port towards the other is new and unknown, so the other side must let in a port
///   it never sent to. A restricted cone does (its filter opened for the symmetric side's address by its own packets
///   to that address); a port-restricted cone does not. Full cone and no-NAT are dialable and never get here;
/// * symmetric on both sides, or an unknown/undefined type on either: relayed.
/// This is upstream's own table (it refuses Undefined, Symmetric↔Symmetric and Symmetric↔Port Restricted cone).
/// </summary>
public static class NatPairing
{
    public static PairReach Reach(TunnelEndpointView a, TunnelEndpointView b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.IsDialable || b.IsDialable)
        {
            return PairReach.Dial;
        }

        return a.PublicIp is not null && b.PublicIp is not null && CanPunch(Side(a), Side(b)) ? PairReach.Punch : PairReach.Relay;
    }

    /// <summary>The NAT behaviour that matters for a punch, from what an endpoint published.</summary>
    public static PunchSide Side(TunnelEndpointView endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.UnderNat)
        {
            return PunchSide.Open;
        }

        return endpoint.NatType switch
        {
            UpstreamNatType.OpenInternet => PunchSide.Open,
            UpstreamNatType.FullCone when endpoint.PublicPort > 0 => PunchSide.FullCone,
            UpstreamNatType.RestrictedCone when endpoint.PublicPort > 0 => PunchSide.RestrictedCone,
            UpstreamNatType.PortRestrictedCone when endpoint.PublicPort > 0 => PunchSide.PortRestrictedCone,
            UpstreamNatType.Symmetric => PunchSide.Symmetric,
            _ => PunchSide.Unknown,
        };
    }

    /// <summary>The rule itself, symmetric in its arguments.</summary>
    public static bool CanPunch(PunchSide a, PunchSide b)
    {
        if (a == PunchSide.Unknown || b == PunchSide.Unknown)
        {
            return false;
        }

        if (a == PunchSide.Symmetric && b == PunchSide.Symmetric)
        {
            return false;
        }

        var other = a == PunchSide.Symmetric ? b : b == PunchSide.Symmetric ? a : (PunchSide?)null;
        return other is null || other != PunchSide.PortRestrictedCone;
    }
}

/// <summary>An endpoint's NAT as a punch sees it.</summary>
public enum PunchSide
{
    /// <summary>No translation (not under NAT, or "Open Internet").</summary>
    Open,
    FullCone,
    RestrictedCone,
    PortRestrictedCone,

    /// <summary>The mapping changes with the destination: no published port.</summary>
    Symmetric,

    /// <summary>No natType, "Undefined", an unknown string, or a cone without its port.</summary>
    Unknown,
}
