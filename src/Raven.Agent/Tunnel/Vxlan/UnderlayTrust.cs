using System.Net;
using System.Net.Sockets;
using Raven.Agent.Planning;
using Raven.Api.Net;

namespace Raven.Agent.Tunnel.Vxlan;

/// <summary>
/// Where the unencrypted cable may go: only between gateways that reach each other directly over private
/// addresses. A peer under NAT, a local endpoint under NAT, or an address outside the private ranges is refused
/// unless <see cref="TunnelPlan.AllowUntrustedUnderlay"/> (--vxlan-allow-untrusted-underlay) says otherwise; a peer
/// with no address to send to is always refused, since VXLAN has no NAT traversal.
/// </summary>
public static class UnderlayTrust
{
    public const string AllowFlag = "--vxlan-allow-untrusted-underlay";

    private static readonly Cidr[] Private =
    [
        Cidr.Parse("10.0.0.0/8"), Cidr.Parse("172.16.0.0/12"), Cidr.Parse("192.168.0.0/16"), Cidr.Parse("169.254.0.0/16"),
        Cidr.Parse("127.0.0.0/8"), Cidr.Parse("fc00::/7"), Cidr.Parse("fe80::/10"), Cidr.Parse("::1/128"),
    ];

    private static readonly Cidr SharedNat = Cidr.Parse("100.64.0.0/10");

    /// <summary>Null when the cable may carry traffic to <paramref name="peer"/>; otherwise why not.</summary>
    public static string? Refusal(TunnelPlan plan, TunnelPeer peer)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Endpoint is not { } endpoint)
        {
            return "has no address to send to (not dialable); the VXLAN cable needs both gateways reachable and has no NAT traversal";
        }

        if (plan.AllowUntrustedUnderlay)
        {
            return null;
        }

        var why = peer.UnderNat ? "is under NAT"
            : plan.LocalUnderNat ? "is reached from a gateway under NAT (this one)"
            : Untrusted(endpoint.Address) is { } peerWhy ? $"is reached at {endpoint.Address}, {peerWhy}"
            : plan.LocalAddress is { } local && Untrusted(local) is { } localWhy ? $"would reach this gateway at {local}, {localWhy}"
            : null;
        return why is null ? null
            : $"{why}: the VXLAN cable does not encrypt, so it is refused there unless {AllowFlag} is set";
    }

    /// <summary>Null for a private, link-local or loopback address; otherwise what it is.</summary>
    public static string? Untrusted(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork && SharedNat.Contains(address))
        {
            return "a carrier-grade NAT address";
        }

        return Private.Any(c => c.Contains(address)) ? null
            : "a public address";
    }
}
