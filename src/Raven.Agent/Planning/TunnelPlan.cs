using System.Net;
using Raven.Api.Net;

namespace Raven.Agent.Planning;

/// <summary>
/// The inter-domain tunnel of the active tunnel gateway, backend-neutral: the selected backend (WireGuard, IPsec, ...)
/// turns it into its own device or daemon state. <see cref="Device"/> is the interface table-9028 routes point at.
/// Secrets (private keys, the PSK) are the backend's business, never the plan's.
/// </summary>
public sealed record TunnelPlan(string Backend, string Device, int ListenPort, int Mtu, ValueList<Cidr> LocalCidrs, ValueList<TunnelPeer> Peers)
{
    /// <summary>The local active tunnel endpoint says it is under NAT (peers reach it only through translation).</summary>
    public bool LocalUnderNat { get; init; }

    /// <summary>The address the local active tunnel endpoint publishes (what peers dial); null when none is known.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>
    /// --vxlan-allow-untrusted-underlay: an unencrypted backend may also connect peers under NAT or across public
    /// addresses. Encrypting backends ignore it.
    /// </summary>
    public bool AllowUntrustedUnderlay { get; init; }
}

/// <summary>How a peer relates to the relay through the central gateway.</summary>
public enum RelayRole
{
    /// <summary>The peer carries its own domain only.</summary>
    Direct,

    /// <summary>The peer is the central gateway and also carries domains this gateway cannot reach directly.</summary>
    RelaysForUs,

    /// <summary>This gateway is the central one and relays other domains' traffic to and from the peer.</summary>
    RelayedByUs,
}

/// <summary>
/// One remote gateway the local gateway exchanges packets with. <see cref="Endpoint"/> is null when the peer cannot
/// be dialled (under NAT without a known public port): it dials us. <see cref="LocalCidrs"/> is what may come from
/// this side (with a relay, the other relayed domains too), <see cref="RemoteCidrs"/> what may come from the peer;
/// <see cref="Domains"/> names every gateway whose CIDRs travel through the peer (itself first).
/// <see cref="Config"/> is the peer's published <c>endpoints[].config</c>, opaque to everything but the backend.
/// A domain with standby tunnel endpoints has one peer per endpoint, all with the same <see cref="GatewayName"/>.
/// </summary>
public sealed record TunnelPeer(
    string GatewayName,
    string NodeName,
    PeerEndpoint? Endpoint,
    ValueList<Cidr> LocalCidrs,
    ValueList<Cidr> RemoteCidrs,
    int? KeepaliveSeconds,
    RelayRole Relay,
    ValueList<string> Domains,
    EndpointConfig Config)
{
    /// <summary>The peer's active tunnel endpoint says it is under NAT (underNAT, or a NAT-mapped public port).</summary>
    public bool UnderNat { get; init; }

    /// <summary>
    /// A hot standby connection (either end is a standby tunnel endpoint): kept established and alive, carrying
    /// nothing. <see cref="RemoteCidrs"/> still says what it would carry, for backends that negotiate selectors
    /// up front; a backend routes nothing through it (WireGuard: no AllowedIPs).
    /// </summary>
    public bool Standby { get; init; }

    /// <summary>
    /// The remote end is a standby tunnel endpoint of its domain (not the one serving it): the peer exists to keep that
    /// standby ready and carries only its node's own address (<see cref="Routed"/>).
    /// </summary>
    public bool RemoteStandby { get; init; }

    /// <summary>
    /// What the backend routes through this peer when it is not simply <see cref="RemoteCidrs"/> (null). Every tunnel
    /// endpoint's node address stays bound to its own peer: a peer to a remote standby routes only that node's /32,
    /// the peer to the remote domain's serving endpoint its CIDRs without those /32s, so a standby's data-plane probes
    /// and their replies travel through the standby's own tunnel on both sides.
    /// </summary>
    public ValueList<Cidr>? Routed { get; init; }

    /// <summary>
    /// A punched peer (both ends NATed, <see cref="NatPairing"/>): dialled at its published public address with a
    /// short keepalive. Beside the relay it routes nothing or, on trial, only the remote endpoint's node /32
    /// (<see cref="Routed"/>); when the probes chose it, it carries the domain like any direct peer.
    /// </summary>
    public bool Punched { get; init; }
}

public sealed record PeerEndpoint(IPAddress Address, int Port)
{
    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}
