using System.Net;

namespace Raven.Agent.Planning;

/// <summary>
/// raven0, with learning off and no VXLAN group/remote: every peer is reached through a static FDB entry and a
/// permanent neighbour, so a member and the hub use the same link shape. <see cref="ClearMarkOnEgress"/> asks for a tc egress action that clears the raven
/// mark bit before encapsulation, so the outer UDP packet is never steered back into table 9027.
/// </summary>
public sealed record VxlanPlan(
    string Name,
    int Vni,
    int Port,
    IPAddress LocalIp,
    int Mtu,
    InterfaceAddress Address,
    string Mac,
    bool ClearMarkOnEgress,
    ValueList<FdbEntry> Fdb,
    ValueList<NeighborEntry> Neighbors);

public sealed record InterfaceAddress(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}

/// <summary>bridge fdb append &lt;Mac&gt; dev raven0 dst &lt;Destination&gt; self permanent.</summary>
public sealed record FdbEntry(string NodeName, string Mac, IPAddress Destination);

/// <summary>A permanent neighbour on raven0: overlay address → MAC.</summary>
public sealed record NeighborEntry(string NodeName, IPAddress Address, string Mac);
