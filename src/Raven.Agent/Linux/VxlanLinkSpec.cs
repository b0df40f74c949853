using System.Net;

namespace Raven.Agent.Linux;

/// <summary>What to create: a VXLAN device. <see cref="ParentIndex"/> is the underlay device (IFLA_VXLAN_LINK).</summary>
public sealed record VxlanLinkSpec(string Name, uint Vni, IPAddress? Local, ushort Port)
{
    public IPAddress? Remote { get; init; }

    public int? ParentIndex { get; init; }

    public int? Mtu { get; init; }

    public MacAddress? Mac { get; init; }

    public bool Learning { get; init; }

    /// <summary>IFLA_VXLAN_UDP_CSUM for an IPv4 underlay; null leaves the kernel's default (on, in recent kernels).</summary>
    public bool? UdpChecksum { get; init; }
}
