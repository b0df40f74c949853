using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Health.Probing;

/// <summary>
/// One path to probe. <see cref="FwMark"/>, <see cref="Device"/> and <see cref="Source"/> force the probe onto a
/// particular path: through a tunnel (a mark whose policy rule selects the tunnel's route table, or the tunnel
/// device itself) or over the underlay (the LAN or VXLAN device, the node's own address).
/// </summary>
/// <param name="Name">Unique within one prober; names the target in transitions, statistics and logs.</param>
/// <param name="Destination">The responder's address and port (normally <see cref="Protocol.ProbeWire.DefaultPort"/>).</param>
public sealed record ProbeTarget(string Name, IPEndPoint Destination)
{
    /// <summary>Source address to bind; null lets the route choose.</summary>
    public IPAddress? Source { get; init; }

    /// <summary>SO_MARK on every probe of this target (needs CAP_NET_ADMIN); null leaves packets unmarked.</summary>
    public uint? FwMark { get; init; }

    /// <summary>SO_BINDTODEVICE: send and receive only through this interface; null for any.</summary>
    public string? Device { get; init; }

    /// <summary>Checks every field; the message names the one that is wrong.</summary>
    /// <exception cref="ArgumentException">A field is invalid.</exception>
    public ProbeTarget Validated()
    {
        Require(!string.IsNullOrWhiteSpace(Name), nameof(Name), "must not be empty");
        Require(Destination is { Port: > 0 }, nameof(Destination), "needs an address and a port");
        Require(Destination.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6, nameof(Destination),
            "must be IPv4 or IPv6");
        Require(Source is null || Source.AddressFamily == Destination.AddressFamily, nameof(Source),
            "must be of the destination's address family");
        Require(Device is null || (Device.Length is > 0 and <= 15 && !Device.Any(c => c is '/' or ':' || char.IsWhiteSpace(c))),
            nameof(Device), "must be an interface name of 1-15 characters without '/', ':' or spaces");
        return this;
    }

    public override string ToString() =>
        $"{Name} ({Destination}" + (Source is null ? "" : $" from {Source}") + (FwMark is { } m ? $" mark 0x{m:x}" : "")
        + (Device is null ? "" : $" dev {Device}") + ")";

    private void Require(bool valid, string field, string what)
    {
        if (!valid)
        {
            throw new ArgumentException($"probe target '{Name}': {field} {what}", field);
        }
    }
}
