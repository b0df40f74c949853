using System.Net;
using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel.Vxlan;

/// <summary>
/// The VXLAN cable as the planner sees it: nothing to publish (no key: the cable does not encrypt), so every peer
/// config is usable; each remote gateway is reached through a next hop on the cable, its underlay address, which
/// the backend resolves to that gateway's cable MAC.
/// </summary>
public sealed class VxlanCableProfile : ITunnelProfile
{
    public const string BackendName = "vxlan";

    /// <summary>The cable device between gateways; distinct from the members' raven0.</summary>
    public const string DeviceName = "raven-cable0";

    /// <summary>Distinct from raven0's VNI 200 and UDP 4472, so the two never share a socket or a firewall rule.</summary>
    public const int Vni = 201;

    public const int Port = 4474; // 4473 is the data-plane probe port

    /// <summary>
    /// The cable sends IPv4 packets with a zero outer UDP checksum (RFC 7348 §5: SHOULD be zero; the inner packet keeps
    /// its own). With the kernel's default (a checksum, filled in by local checksum offload) a NAT on the way that
    /// rewrites the outer address corrupted it for inner packets whose own checksum was still to be completed (UDP,
    /// TCP): seen in the lab as conntrack INVALID at the receiving edge router and UdpInCsumErrors at the gateway, so
    /// the data-plane probes and TCP never crossed while pings did. A zero checksum gives the NAT nothing to rewrite.
    /// </summary>
    public const bool OuterUdpChecksum = false;

    /// <summary>Outer IPv4 (20) or IPv6 (40), UDP 8, VXLAN 8, inner Ethernet 14.</summary>
    public const int OverheadIPv4 = 50;
    public const int OverheadIPv6 = 70;

    public static VxlanCableProfile Instance { get; } = new();

    public string Name => BackendName;

    public bool Encrypts => false;

    /// <summary>The cable reaches a NATed peer only through a port forward the operator publishes, never a learned mapping.</summary>
    public bool LearnsNatMappings => false;

    public int Overhead(bool ipv6Underlay) => ipv6Underlay ? OverheadIPv6 : OverheadIPv4;

    /// <summary>Nothing is needed from the peer; another backend's peers are skipped by the planner itself.</summary>
    public PeerConfigProblem? ProblemWith(EndpointConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return null;
    }

    /// <summary>Peers are told apart by their node (its cable MAC), never by published config.</summary>
    public string? Identity(EndpointConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return null;
    }

    /// <summary>
    /// A standby's peer is an FDB entry and a neighbour of its own (<see cref="NextHop"/>): its node /32 goes through
    /// it, so its probes prove its own path, and a take-over re-points only routes and the serving hop's neighbour.
    /// </summary>
    public bool RoutesStandbyPairs => true;

    /// <summary>
    /// Where the peer's routes point; a permanent neighbour on the cable maps it to the peer's cable MAC. The peer to a
    /// domain's serving endpoint: its underlay address. The peer to a remote standby: the standby's own node address,
    /// the one /32 routed through it, since the standby may share the serving endpoint's underlay address (two nodes
    /// behind one NAT, told apart only by their forwarded ports) and one neighbour names one MAC. Null for a standby
    /// whose node address the tunnel does not carry (forward-node-ip off): nothing is routed through it.
    /// </summary>
    public IPAddress? NextHop(TunnelPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!peer.RemoteStandby)
        {
            return peer.Endpoint?.Address;
        }

        return peer.Routed is { Count: 1 } routed && routed[0].PrefixLength == routed[0].AddressBits ? routed[0].Network : null;
    }
}
