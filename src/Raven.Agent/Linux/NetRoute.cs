using System.Net;

namespace Raven.Agent.Linux;

public enum RouteScope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}

public enum RouteType : byte
{
    Unspecified = 0,
    Unicast = 1,
    Local = 2,
    Broadcast = 3,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
}

/// <summary>An IPv4/IPv6 route. Table numbers above 255 travel in RTA_TABLE.</summary>
public sealed record NetRoute(IPNetwork Destination)
{
    public const uint MainTable = 254;
    public const byte ProtocolStatic = 4;

    public uint Table { get; init; } = MainTable;

    public IPAddress? Gateway { get; init; }

    public int? OutputInterface { get; init; }

    public IPAddress? PreferredSource { get; init; }

    /// <summary>RTAX_MTU metric (the "mtu" of <c>ip route</c>), when locked on the route.</summary>
    public int? Mtu { get; init; }

    public bool OnLink { get; init; }

    public RouteScope Scope { get; init; } = RouteScope.Universe;

    public RouteType Type { get; init; } = RouteType.Unicast;

    public byte Protocol { get; init; } = ProtocolStatic;

    /// <summary>RTA_PRIORITY (the "metric" of <c>ip route</c>).</summary>
    public uint Metric { get; init; }

    public override string ToString() =>
        $"{Destination}{(Gateway is null ? "" : $" via {Gateway}")}{(OutputInterface is null ? "" : $" dev #{OutputInterface}")} table {Table}" +
        $"{(Mtu is null ? "" : $" mtu {Mtu}")}{(OnLink ? " onlink" : "")}";
}
