using System.Net;

namespace Raven.Agent.Planning;

/// <summary>Why a peer's published config cannot be used; <see cref="Kind"/> says whether it is malformed or just not there yet.</summary>
public sealed record PeerConfigProblem(string Message, DiagnosticKind Kind);

/// <summary>
/// What the pure planner needs to know about the selected tunnel backend. Implementations are pure and live in the
/// backend's folder under Tunnel/; the planner never names a backend.
/// </summary>
public interface ITunnelProfile
{
    /// <summary>The registry name (<c>wireguard</c>, <c>ipsec</c>, ...).</summary>
    string Name { get; }

    /// <summary>Bytes the tunnel adds to each packet over an IPv4 or IPv6 underlay, for the MTU.</summary>
    int Overhead(bool ipv6Underlay);

    /// <summary>Null when the backend can connect to a peer that published <paramref name="config"/>.</summary>
    PeerConfigProblem? ProblemWith(EndpointConfig config);

    /// <summary>
    /// A value no two gateways may share (WireGuard: the public key, since a peer is found by it); null when the
    /// backend has none. Gateways that share one are all skipped, not guessed between.
    /// </summary>
    string? Identity(EndpointConfig config);

    /// <summary>
    /// False for a backend that sends inner packets in clear (the VXLAN cable): the agent then warns loudly at start
    /// and on every pass that uses it.
    /// </summary>
    bool Encrypts => true;

    /// <summary>
    /// Whether a NATed endpoint of this backend should publish the mapping NAT discovery learns from the tunnel's
    /// port; false for a backend that crosses NAT only through port forwards (the VXLAN cable).
    /// </summary>
    bool LearnsNatMappings => true;

    /// <summary>
    /// The next hop table-9028 routes to <paramref name="peer"/>'s CIDRs go through, on the tunnel device (onlink);
    /// null for a layer-3 device (WireGuard, IPsec) where the device alone selects the peer. A layer-2 cable needs
    /// one, so that the kernel resolves a neighbour per peer instead of per destination.
    /// </summary>
    IPAddress? NextHop(TunnelPeer peer) => null;

    /// <summary>
    /// True when a standby pair is a connection of its own that can carry routes (WireGuard: a peer with its own
    /// AllowedIPs, <see cref="TunnelPeer.Routed"/>). A standby endpoint then sends its node's own traffic to remote
    /// domains through its own tunnel, so its probes prove that tunnel; otherwise that traffic goes via the primary.
    /// </summary>
    bool RoutesStandbyPairs => false;

    /// <summary>
    /// The largest packet the backend's device passes whatever MTU it is given (IPsec with kernel-libipsec: 1400);
    /// the tunnel MTU, and so the routes' MTU and the MSS clamp, never exceed it. Null: only the overhead counts.
    /// </summary>
    int? MaxLinkMtu => null;

    /// <summary>
    /// Whether two NATed gateways of this backend may try a punched direct path (docs/nat-traversal.md): the backend
    /// sends from the tunnel's own port to a configured peer address and follows a peer that answers from elsewhere
    /// (WireGuard: persistent keepalive and roaming). False keeps every such pair relayed.
    /// </summary>
    bool PunchesHoles => false;
}
