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

    /// <summary>IFF_LOWER_UP: the driver reports carrier (the kernel sets it only while the device is up).</summary>
    public bool LowerUp { get; init; }

    /// <summary>IFLA_CARRIER; null when the kernel did not report it (older kernels).</summary>
    public bool? Carrier { get; init; }

    /// <summary>IFLA_OPERSTATE (RFC 2863); null when the kernel did not report it.</summary>
    public LinkOperState? OperState { get; init; }

    /// <summary>
    /// The link can pass traffic at L1: administratively up with carrier (IFLA_CARRIER, else IFF_LOWER_UP), and not
    /// dormant. The carrier decides, not the operstate: the kernel changes the carrier at once but derives the
    /// operstate later (linkwatch, up to a second), so a returning carrier would read "down" for a while. Stacked devices
    /// (VLAN, bridge, bond, macvlan) take their carrier from their lower devices, so a lost port shows here too.
    /// </summary>
    public bool HasCarrier => AdminUp && (Carrier ?? LowerUp) && OperState != LinkOperState.Dormant;
}

/// <summary>IF_OPER_* of linux/if.h, the RFC 2863 operational state the kernel derives from carrier and lower devices.</summary>
public enum LinkOperState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}

/// <summary>The first four counters of <c>struct rtnl_link_stats64</c>.</summary>
public sealed record LinkStats(long RxPackets, long TxPackets, long RxBytes, long TxBytes);

/// <summary>IFLA_VXLAN_* attributes of a VXLAN device. <see cref="Remote"/> is the fixed remote (group) if any.</summary>
public sealed record VxlanAttributes(uint Vni, IPAddress? Local, IPAddress? Remote, int? ParentIndex, ushort Port, bool Learning)
{
    /// <summary>IFLA_VXLAN_UDP_CSUM: whether IPv4 packets carry an outer UDP checksum; null when the kernel did not say.</summary>
    public bool? UdpChecksum { get; init; }
}
