using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// A backend configured by hand between the lab's exposed gateway and a NATed one: the daemon or device, its
/// configuration and one route per side, nothing of Raven's planner, policy routing or netfilter rules. The
/// baseline each Raven backend is compared with.
/// </summary>
internal interface IHandTunnel : IAsyncDisposable
{
    /// <param name="exposed">Reachable at <paramref name="exposedPublicIp"/> (the cloud gateway).</param>
    /// <param name="nated">Behind its router's NAT, seen as <paramref name="natedPublicIp"/>; its router forwards <paramref name="natedPublicPort"/> to it where the backend needs that (VXLAN).</param>
    /// <param name="mtu">The MTU Raven chose for the same backend, so both sides carry the same segments.</param>
    Task ConnectAsync(LabNode exposed, string exposedPublicIp, LabNode nated, string natedPublicIp, int natedPublicPort, int mtu);

    /// <summary>One hand-made tunnel per backend name of <see cref="Raven.Agent.Tunnel.TunnelBackends"/>.</summary>
    static IHandTunnel For(string backend) => backend switch
    {
        "wireguard" => new HandWireGuard(),
        "ipsec" => new HandIpsec(),
        "vxlan" => new HandVxlan(),
        _ => throw new ArgumentException($"no hand-configured baseline for backend '{backend}'", nameof(backend)),
    };
}
