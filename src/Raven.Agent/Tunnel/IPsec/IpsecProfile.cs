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
}
