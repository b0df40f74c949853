using Raven.Api.Net;
using System.Net;

namespace Raven.Agent.Planning;

/// <summary>ip rule. A null mark means "from all"; a mark is always matched under its mask.</summary>
public sealed record PolicyRule(int Priority, int Table, uint? FwMark, uint? FwMask)
{
    /// <summary>"from" selector; null: from all.</summary>
    public Cidr? Source { get; init; }
}

/// <summary>
/// A route in a raven table. With a <see cref="Gateway"/> it is "via Gateway dev Device onlink"; without one it is
/// scope link on Device.
/// </summary>
public sealed record PlannedRoute(int Table, Cidr Destination, string Device, IPAddress? Gateway, bool OnLink, int Mtu)
{
    /// <summary>
    /// The preferred source ("src") the planner asks for; null leaves it to the backend
    /// (<c>ITunnelBackend.RouteSource</c>) or the kernel.
    /// </summary>
    public IPAddress? Source { get; init; }
}
