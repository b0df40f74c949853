using System.Net;
using Raven.Agent.Planning;
using Raven.Api.Net;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Pure: the plan's <see cref="TunnelPlan"/> → one <see cref="IpsecConnectionSpec"/> per remote gateway. IKE
/// identities are the tunnel node names (<c>@node</c>) on both sides, so each side derives the other's without
/// publishing anything. A peer that can be dialled is initiated; one that cannot (a NATed edge without a public
/// port) is answered from any address.
/// </summary>
public static class IpsecPlanMapper
{
    public const string ConnectionPrefix = "raven-";

    public static IReadOnlyList<IpsecConnectionSpec> Map(TunnelPlan plan, string localNodeName, TimeSpan deadPeerDelay)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrEmpty(localNodeName);
        // Hot standbys (tunnel Replicas > 1) are not kept ready under IPsec yet: one connection per remote domain, to
        // its serving endpoint. A standby takes over with a fresh IKE exchange.
        return plan.Peers.Where(p => !p.Standby).Select(peer => new IpsecConnectionSpec
        {
            Name = ConnectionPrefix + peer.GatewayName,
            RemoteAddress = peer.Endpoint?.Address,
            RemotePort = peer.Endpoint?.Port ?? plan.ListenPort,
            LocalId = "@" + localNodeName,
            RemoteId = "@" + peer.NodeName,
            LocalSubnets = peer.LocalCidrs.Select(c => new IPNetwork(c.Network, c.PrefixLength)).ToList(),
            RemoteSubnets = RemoteSelectors(peer).Select(c => new IPNetwork(c.Network, c.PrefixLength)).ToList(),
            Role = peer.Endpoint is null ? IpsecRole.Responder : IpsecRole.Initiator,
            DpdDelay = deadPeerDelay,
        }).ToList();
    }

    /// <summary>
    /// The peer's CIDRs without the address its IKE and ESP packets go to. A public edge's node IP is both its
    /// endpoint and, with forward-node-ip, one of its domain's routable addresses; the planner already keeps it out of
    /// table 9028, and charon must not have it in a remote selector either: kernel-libipsec then refuses the whole
    /// CHILD SA ("can't install route for … === 192.0.2.10/32 out, conflicts with IKE traffic", "unable to install
    /// IPsec policies (SPD) in kernel"), and the peer's pods are not reached at all. That node is reached directly.
    /// </summary>
    private static IReadOnlyList<Cidr> RemoteSelectors(TunnelPeer peer) =>
        peer.Endpoint is { } endpoint && peer.RemoteCidrs.Any(c => c.Contains(endpoint.Address))
            ? CidrMath.Exclude(peer.RemoteCidrs, [Cidr.Host(endpoint.Address)])
            : peer.RemoteCidrs;
}
