using Raven.Api.Net;
using System.Net;

namespace Raven.Agent.Planning;

/// <summary>A Gateway as the planner sees it: parsed, validated, sorted.</summary>
public sealed record DomainView(
    string Name,
    bool Exposed,
    TunnelEndpointView? Tunnel,
    ValueList<DomainNode> Nodes,
    ValueList<Cidr> Cidrs)
{
    public DomainNode? Node(string nodeName) => Nodes.FirstOrDefault(n => n.Name == nodeName);

    /// <summary>
    /// The domain's other active tunnel endpoints (tunnel Replicas &gt; 1), in priority order: hot standbys whose
    /// tunnels are kept established but carry nothing until one of them serves.
    /// </summary>
    public ValueList<TunnelEndpointView> Standbys { get; init; } = ValueList<TunnelEndpointView>.Empty;

    /// <summary>Whether <paramref name="nodeName"/> is one of the domain's standby tunnel endpoints.</summary>
    public bool IsStandby(string nodeName) => Standbys.Any(s => s.NodeName == nodeName);
}

/// <summary>A node of a domain; <see cref="Subnets"/> is merged and, with forward-node-ip, holds the node's /32.</summary>
public sealed record DomainNode(string Name, IPAddress PrivateIp, ValueList<Cidr> Subnets);

/// <summary>
/// The active tunnel endpoint of a domain. <see cref="Config"/> is its published config, opaque here;
/// <see cref="Problem"/> is set when the selected backend cannot use it (missing, malformed, or shared with another
/// gateway), and then no path goes through this endpoint.
/// </summary>
public sealed record TunnelEndpointView(
    string NodeName,
    IPAddress? PublicIp,
    int Port,
    bool UnderNat,
    int PublicPort,
    string? NatType,
    EndpointConfig Config)
{
    public PeerConfigProblem? Problem { get; init; }

    /// <summary>
    /// Whether another gateway can dial this one: a public address, and when under NAT a public port that lets
    /// unsolicited packets in — one an operator forwarded (no natType), or one NAT discovery found open to anyone
    /// (full cone). A port learned behind a filtering NAT answers only whom the edge has sent to first: that takes
    /// hole punching, not dialling.
    /// </summary>
    public bool IsDialable => PublicIp is not null && (!UnderNat || (PublicPort > 0 && AcceptsUnsolicited(NatType)));

    private static bool AcceptsUnsolicited(string? natType) =>
        string.IsNullOrEmpty(natType) || natType is Nat.UpstreamNatType.FullCone or Nat.UpstreamNatType.OpenInternet;

    /// <summary>
    /// Where a hole punch sends: the published public address and port; without a port (symmetric mapping, or no
    /// translation) the tunnel's own port, which a symmetric NAT will not keep — the packets sent there only open the
    /// sender's own filter for that address (see <see cref="NatPairing"/>).
    /// </summary>
    public PeerEndpoint? PunchEndpoint(int defaultPort) =>
        PublicIp is null ? null : new PeerEndpoint(PublicIp, PublicPort > 0 ? PublicPort : Port > 0 ? Port : defaultPort);

    /// <summary>Where to dial, or null when only this endpoint can start the conversation.</summary>
    public PeerEndpoint? DialEndpoint(int defaultPort) =>
        !IsDialable || PublicIp is null ? null
        : new PeerEndpoint(PublicIp, PublicPort > 0 ? PublicPort : Port > 0 ? Port : defaultPort);
}
