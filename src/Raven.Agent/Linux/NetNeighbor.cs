using System.Net;

namespace Raven.Agent.Linux;

public enum NeighborFamily : byte
{
    /// <summary>ARP entries.</summary>
    Inet = 2,

    /// <summary>Bridge / VXLAN forwarding database entries.</summary>
    Bridge = 7,

    Inet6 = 10,
}

[Flags]
public enum NeighborState : ushort
{
    None = 0,
    Incomplete = 0x1,
    Reachable = 0x2,
    Stale = 0x4,
    Delay = 0x8,
    Probe = 0x10,
    Failed = 0x20,
    NoArp = 0x40,
    Permanent = 0x80,
}

[Flags]
public enum NeighborFlags : byte
{
    None = 0,
    Use = 0x1,
    Self = 0x2,
    Master = 0x4,
    Proxy = 0x8,
    ExtLearned = 0x10,
    Router = 0x80,
}

/// <summary>
/// A neighbour entry: an ARP entry (family Inet: Destination = IP, Mac = link address) or an FDB entry
/// (family Bridge: Mac = destination MAC, Destination = remote VTEP for VXLAN devices).
/// </summary>
public sealed record NetNeighbor(NeighborFamily Family, int InterfaceIndex, IPAddress? Destination, MacAddress? Mac)
{
    public NeighborState State { get; init; } = NeighborState.Permanent;

    public NeighborFlags Flags { get; init; }

    /// <summary>
    /// VXLAN FDB only: the remote's UDP port when it is not the device's own (NDA_PORT); null = the device's port,
    /// which is also how the kernel reports an entry whose port equals the device's.
    /// </summary>
    public ushort? Port { get; init; }

    public override string ToString() =>
        $"{Family} dev #{InterfaceIndex} {Destination?.ToString() ?? "-"}{(Port is { } port ? $":{port}" : "")} lladdr {Mac?.ToString() ?? "-"} state {State} flags {Flags}";
}
