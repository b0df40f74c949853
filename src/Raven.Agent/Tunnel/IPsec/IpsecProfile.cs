using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// IPsec as the planner sees it: peers authenticate with the cluster-wide PSK, so nothing has to be published and
/// every peer's config is usable; there is no per-gateway identity in the config to collide.
/// Registered in <see cref="TunnelBackends"/> as <c>ipsec</c> (alias <c>libreswan</c>) with <see cref="IpsecBackend"/>.
/// </summary>
public sealed class IpsecProfile : ITunnelProfile
{
    public const string BackendName = "ipsec";

    /// <summary>ESP in UDP with AES-GCM-128: outer IP 20, UDP 8, ESP 8, IV 8, padding ≤ 3, trailer 2, ICV 16 (see README).</summary>
    public const int OverheadIPv4 = 65;

    /// <summary>The IPv6 outer header is 20 bytes longer.</summary>
    public const int OverheadIPv6 = 85;

    public static IpsecProfile Instance { get; } = new();

    public string Name => BackendName;

    public int Overhead(bool ipv6Underlay) => ipv6Underlay ? OverheadIPv6 : OverheadIPv4;

    public PeerConfigProblem? ProblemWith(EndpointConfig config) => null;

    public string? Identity(EndpointConfig config) => null;

    /// <summary>
    /// kernel-libipsec (strongSwan 5.9.8, this machine's) sets its TUN device to 1400 bytes at start and reads every
    /// packet into a buffer of that size, even after the agent raised the device's MTU: a 1435-byte plan MTU let
    /// pings through and cut every larger packet short (TCP connected and moved nothing). So the tunnel MTU stops at
    /// 1400 under IPsec; with kernel ESP that costs at most 35 bytes of a 1500-byte underlay.
    /// </summary>
    public const int LibipsecTunMtu = 1400;

    public int? MaxLinkMtu => LibipsecTunMtu;
}
