using System.Net;
using Raven.Agent.Planning;

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
            RemoteSubnets = peer.RemoteCidrs.Select(c => new IPNetwork(c.Network, c.PrefixLength)).ToList(),
            Role = peer.Endpoint is null ? IpsecRole.Responder : IpsecRole.Initiator,
            DpdDelay = deadPeerDelay,
        }).ToList();
    }
}
