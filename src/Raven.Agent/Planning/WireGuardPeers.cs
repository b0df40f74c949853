using Raven.Api.Net;
namespace Raven.Agent.Planning;

/// <summary>raven-wg0 and one peer per gateway the local gateway exchanges packets with.</summary>
internal static class WireGuardPeers
{
    public static WireGuardPlan Build(PlanContext context)
    {
        var localUnderNat = context.Local.Tunnel?.UnderNat == true;
        var peers = new List<WireGuardPeer>();
        foreach (var route in context.Topology.Peers)
        {
            var tunnel = route.Peer.Tunnel!;
            var endpoint = tunnel.DialEndpoint(context.Options.VpnListenPort);
            if (endpoint is null && context.Local.Tunnel?.IsDialable != true)
            {
                context.Diagnostics.Add(new($"gateway/{route.Peer.Name}",
                    "neither side can be dialled; the peer is kept and waits for NAT traversal"));
            }

            var keepalive = localUnderNat || tunnel.UnderNat ? context.Options.KeepaliveSeconds : (int?)null;
            peers.Add(new WireGuardPeer(
                route.Peer.Name,
                tunnel.PublicKey!,
                endpoint,
                CidrMath.Merge(route.Carried.SelectMany(d => d.Cidrs)).ToValueList(),
                keepalive is > 0 ? keepalive : null,
                route.Carried.Select(d => d.Name).ToValueList()));
        }

        return new WireGuardPlan(context.Options.WireGuardDevice, context.Options.VpnListenPort, context.Mtu.WireGuardLinkMtu,
            peers.OrderBy(p => p.GatewayName, StringComparer.Ordinal).ToValueList());
    }
}
