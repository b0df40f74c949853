using System.Net;

namespace Raven.Agent.Linux;

/// <summary>An interface address with its prefix length (host bits kept, unlike a route destination).</summary>
public sealed record NetAddress(int InterfaceIndex, IPAddress Address, int PrefixLength)
{
    public RouteScope Scope { get; init; } = RouteScope.Universe;

    public string? Label { get; init; }

    public override string ToString() => $"{Address}/{PrefixLength} dev #{InterfaceIndex} scope {Scope}";
}
