using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel.Vxlan;

/// <summary>
/// One remote gateway on the cable: where its VXLAN packets go (address, and a UDP port when not the cable's own)
/// and which MAC its device answers to.
/// </summary>
public sealed record CablePeer(string Gateway, string NodeName, IPAddress Underlay, MacAddress Mac)
{
    /// <summary>Null: the cable's port (<see cref="VxlanCableProfile.Port"/>).</summary>
    public ushort? Port { get; init; }

    /// <summary>
    /// The next hop its routes name, which its neighbour maps to <see cref="Mac"/> (<see cref="VxlanCableProfile.NextHop"/>):
    /// the underlay address, or a remote standby's node address. Null: nothing is routed to it (an FDB entry only).
    /// </summary>
    public IPAddress? Hop { get; init; }
}

/// <summary>The cable's desired state: the peers it carries and the ones it refused, with why.</summary>
public sealed record CableDesign(MacAddress LocalMac, IReadOnlyList<CablePeer> Peers, IReadOnlyList<SkippedTunnelPeer> Skipped)
{
    /// <summary>
    /// Pure: plan → peers. A peer is refused by <see cref="UnderlayTrust"/>, or skipped when its underlay address and
    /// port, its next hop or its cable MAC is already taken by this node or an earlier peer (one of two would get the
    /// other's packets). Two endpoints of one domain behind one NAT share the address and differ in the port.
    /// </summary>
    public static CableDesign From(TunnelPlan plan, string localNodeName)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var local = CableMac.For(localNodeName);
        var peers = new List<CablePeer>();
        var skipped = new List<SkippedTunnelPeer>();
        var byMac = new Dictionary<MacAddress, string>();
        var byUnderlay = new Dictionary<(IPAddress, ushort?), string>();
        var byHop = new Dictionary<IPAddress, string>();
        foreach (var peer in plan.Peers)
        {
            if (UnderlayTrust.Refusal(plan, peer) is { } refusal)
            {
                skipped.Add(new(peer.GatewayName, refusal));
                continue;
            }

            var mac = CableMac.For(peer.NodeName);
            var address = peer.Endpoint!.Address;
            var port = PortOf(peer);
            var hop = VxlanCableProfile.Instance.NextHop(peer);
            var clash = address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ? $"its address {address} is not IPv4; the cable runs over IPv4 underlays only"
                : mac == local ? $"its node {peer.NodeName} has this node's cable MAC {mac}"
                : byMac.TryGetValue(mac, out var macOwner) ? $"its node {peer.NodeName} has the cable MAC of gateway {macOwner} ({mac})"
                : byUnderlay.TryGetValue((address, port), out var addressOwner) ? $"its address {address}{(port is null ? "" : $":{port}")} is also gateway {addressOwner}'s"
                : hop is not null && byHop.TryGetValue(hop, out var hopOwner) ? $"its next hop {hop} is also gateway {hopOwner}'s"
                : null;
            if (clash is not null)
            {
                skipped.Add(new(peer.GatewayName, clash));
                continue;
            }

            byMac[mac] = peer.GatewayName;
            byUnderlay[(address, port)] = peer.GatewayName;
            if (hop is not null)
            {
                byHop[hop] = peer.GatewayName;
            }

            peers.Add(new CablePeer(peer.GatewayName, peer.NodeName, address, mac) { Port = port, Hop = hop });
        }

        return new CableDesign(local, peers, skipped);
    }

    /// <summary>
    /// A peer under NAT is dialable only with a published public port (the planner's rule): that port is the NAT's
    /// forward to the peer's cable, so packets go there. Every other peer listens on the cable's own port; the
    /// endpoint's port then belongs to the Gateway's generic tunnel setting (4500), not to the cable.
    /// </summary>
    private static ushort? PortOf(TunnelPeer peer) =>
        peer.UnderNat && peer.Endpoint is { Port: > 0 and <= ushort.MaxValue and not VxlanCableProfile.Port } endpoint ? (ushort)endpoint.Port : null;

    /// <summary>One permanent neighbour per routed peer on the cable: the routes' next hop → its MAC.</summary>
    public IEnumerable<NetNeighbor> Neighbors(int linkIndex) =>
        Peers.Where(p => p.Hop is not null).Select(p => new NetNeighbor(NeighborFamily.Inet, linkIndex, p.Hop!, p.Mac));

    /// <summary>One static FDB entry per peer: its MAC → its underlay address, so each frame goes to one gateway only.</summary>
    public IEnumerable<NetNeighbor> Fdb(int linkIndex) =>
        Peers.Select(p => new NetNeighbor(NeighborFamily.Bridge, linkIndex, p.Underlay, p.Mac) { State = NeighborState.Permanent | NeighborState.NoArp, Port = p.Port });
}
