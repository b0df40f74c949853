using System.Net;

namespace Raven.Lab.Topology;

/// <summary>
/// The "internet" between the domains: one namespace holding a bridge that every router's WAN port is plugged into.
/// The namespace routes between its subnets (an ISP core) and has no route anywhere else, so nothing leaves the lab.
/// </summary>
/// <param name="Subnets">The TEST-NET subnets on the bridge, each with the core's own address on it.</param>
public sealed record LabInternet(IReadOnlyList<InternetSubnet> Subnets);

/// <summary>One subnet of the lab internet.</summary>
/// <param name="Network">The subnet (TEST-NET).</param>
/// <param name="CoreAddress">The internet core's address on it: the default gateway of routers on this subnet.</param>
public sealed record InternetSubnet(IPNetwork Network, IPAddress CoreAddress);
