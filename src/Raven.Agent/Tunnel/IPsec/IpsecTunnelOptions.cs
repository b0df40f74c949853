namespace Raven.Agent.Tunnel.IPsec;

/// <summary>Everything an <see cref="IpsecTunnel"/> needs besides the connections themselves.</summary>
public sealed record IpsecTunnelOptions
{
    public required CharonOptions Charon { get; init; }

    /// <summary>
    /// From <c>VPN_CONNECTION_PSK</c> (<see cref="PresharedKey.FromEnvironment"/>); there is no default. Null only for
    /// a tunnel that cleans up: applying connections without it throws <see cref="IpsecConfigurationException"/>.
    /// </summary>
    public required PresharedKey? PresharedKey { get; init; }

    /// <summary>
    /// Raven's tunnel route table (9028): with kernel-libipsec, the tunnel keeps each remote subnet routed there via
    /// its TUN device, touching no other route of the table. Null leaves routing to the caller (e.g. the plan).
    /// </summary>
    public uint? RouteTable { get; init; }

    /// <summary>The TUN device's MTU (kernel-libipsec creates it with 1400); null leaves it.</summary>
    public int? Mtu { get; init; }

    /// <summary>Pause before re-subscribing to charon's events after the stream broke (charon restarted).</summary>
    public TimeSpan EventRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
