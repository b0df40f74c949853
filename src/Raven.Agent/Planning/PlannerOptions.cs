using System.Net;

namespace Raven.Agent.Planning;

/// <summary>Agent settings the plan depends on. Defaults match upstream Raven.</summary>
public sealed record PlannerOptions
{
    /// <summary>raven-cfg enable-l3-tunnel (copied by the controller into the active endpoint config).</summary>
    public bool EnableL3Tunnel { get; init; } = true;

    /// <summary>forward-node-ip: also carry every node's private IP as a /32.</summary>
    public bool ForwardNodeIp { get; init; }

    public int VpnListenPort { get; init; } = KernelNames.WireGuardListenPort;

    /// <summary>Persistent keepalive on peers where either side is under NAT (upstream relay peers use 5 s).</summary>
    public int KeepaliveSeconds { get; init; } = 5;

    public int UnderlayMtu { get; init; } = 1500;

    public int VxlanPort { get; init; } = KernelNames.VxlanPort;

    public int VxlanVni { get; init; } = KernelNames.VxlanVni;
}

/// <summary>The node the plan is for. Its address in Gateway status wins over <see cref="InternalIp"/>.</summary>
public sealed record LocalNode(string Name, IPAddress? InternalIp);
