using Raven.Api.Net;
using System.Net;

namespace Raven.Agent.Planning;

/// <summary>raven-wg0 on the tunnel gateway. The private key is the driver's business, never the plan's.</summary>
public sealed record WireGuardPlan(string Device, int ListenPort, int Mtu, ValueList<WireGuardPeer> Peers);

/// <summary>
/// One remote gateway. <see cref="Endpoint"/> is null when the peer cannot be dialled (under NAT without a known
/// public port): it dials us and WireGuard learns its address. <see cref="Domains"/> names every gateway whose
/// CIDRs travel through this peer (more than one for the central gateway of a relay).
/// </summary>
public sealed record WireGuardPeer(
    string GatewayName,
    string PublicKey,
    PeerEndpoint? Endpoint,
    ValueList<Cidr> AllowedIps,
    int? PersistentKeepaliveSeconds,
    ValueList<string> Domains);

public sealed record PeerEndpoint(IPAddress Address, int Port)
{
    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}
