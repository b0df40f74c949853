using System.Net;

namespace Raven.Agent.Linux;

/// <summary>A network interface as the kernel reports it (RTM_NEWLINK).</summary>
public sealed record NetLink(int Index, string Name, string? Kind, int Mtu, bool AdminUp)
{
    public MacAddress? Mac { get; init; }

    public int? MasterIndex { get; init; }

    /// <summary>VXLAN parameters when <see cref="Kind"/> is "vxlan".</summary>
    public VxlanAttributes? Vxlan { get; init; }

    /// <summary>The link's counters (IFLA_STATS64) when the kernel reported them.</summary>
    public LinkStats? Stats { get; init; }
}

/// <summary>The first four counters of <c>struct rtnl_link_stats64</c>.</summary>
public sealed record LinkStats(long RxPackets, long TxPackets, long RxBytes, long TxBytes);

/// <summary>IFLA_VXLAN_* attributes of a VXLAN device. <see cref="Remote"/> is the fixed remote (group) if any.</summary>
public sealed record VxlanAttributes(uint Vni, IPAddress? Local, IPAddress? Remote, int? ParentIndex, ushort Port, bool Learning)
{
    /// <summary>IFLA_VXLAN_UDP_CSUM: whether IPv4 packets carry an outer UDP checksum; null when the kernel did not say.</summary>
    public bool? UdpChecksum { get; init; }
}
