namespace Raven.Cli.Trace;

/// <summary>
/// What one direction of a trace comes down to, for comparing the request with its reply: how it crosses (same
/// node, the domain's LAN, the L7 proxy or a tunnel) and, for a tunnel, which endpoint it leaves by, over which path,
/// and which endpoint it enters at, each with the reason (a report or the plan) it rests on.
/// </summary>
internal sealed record TraceRoute(string Kind)
{
    public const string SameNode = "node";
    public const string Lan = "lan";
    public const string L7 = "l7";
    public const string Tunnel = "tunnel";

    /// <summary>Nothing crosses: an end outside every domain, L3 off, or a domain without a serving endpoint.</summary>
    public const string None = "none";

    public string? Egress { get; init; }
    public string? EgressWhy { get; init; }

    /// <summary><c>direct</c>, or <c>relay:GATEWAY</c>.</summary>
    public string? Path { get; init; }

    /// <summary>The relay's node when <see cref="Path"/> is relayed.</summary>
    public string? Relay { get; init; }

    public string? PathWhy { get; init; }
    public string? Ingress { get; init; }
    public string? IngressWhy { get; init; }

    /// <summary>"direct" or "relayed via gw-cloud (cloud-1)".</summary>
    public string PathText => Path is { } p && p.StartsWith(TunnelLegs.RelayPrefix, StringComparison.Ordinal)
        ? $"relayed via {p[TunnelLegs.RelayPrefix.Length..]}{(Relay is { } r ? $" ({r})" : "")}"
        : Path ?? "no path";
}
