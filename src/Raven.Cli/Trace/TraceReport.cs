namespace Raven.Cli.Trace;

/// <summary>
/// What `raven trace SRC DST` shows: both ends as resolved, the hops a packet from SRC to DST takes, in order, then
/// the hops its reply takes back (DST to SRC) and whether the two are mirror images. Plain data, serialized as it
/// stands for -o json|yaml. <see cref="Error"/> is set (and there are no hops) when an end cannot be resolved to one
/// place.
/// </summary>
/// <param name="ReplyHops">The reply's hops from DST back to SRC, built the same way; null only with an <see cref="Error"/>.</param>
/// <param name="Symmetry">Whether the reply takes the mirror path, and if not what differs and why; null only with an <see cref="Error"/>.</param>
public sealed record TraceReport(
    DateTimeOffset GeneratedAt,
    string Source,
    string Destination,
    TraceEnd? From,
    TraceEnd? To,
    IReadOnlyList<TraceHop> Hops,
    string? Error = null,
    IReadOnlyList<TraceHop>? ReplyHops = null,
    TraceSymmetry? Symmetry = null)
{
    /// <summary>
    /// The worst health along both directions: FAIL when the packet or its reply does not arrive (an exchange such
    /// as a ping then fails), WARN when either may not for long.
    /// </summary>
    public string Verdict => Error is not null || AllHops.Any(h => h.Health == TraceHealth.Fail) ? TraceHealth.Fail
        : AllHops.Any(h => h.Health == TraceHealth.Warn) ? TraceHealth.Warn : TraceHealth.Ok;

    private IEnumerable<TraceHop> AllHops => Hops.Concat(ReplyHops ?? []);

    /// <summary>1 when the packet does not get through (a FAIL hop, or an end that cannot be resolved).</summary>
    public int ExitCode => Verdict == TraceHealth.Fail ? 1 : 0;
}

/// <summary>How the reply's path compares with the request's.</summary>
/// <param name="Symmetric">
/// True when the reply passes the same tunnel endpoints in reverse order, over the same kind of path (direct, or
/// relayed via the same gateway and node), or when no tunnel is involved at all.
/// </param>
/// <param name="Summary">One sentence: the mirror path, or what differs.</param>
/// <param name="Differences">Each difference with its reason (which report or plan says so); empty when symmetric.</param>
public sealed record TraceSymmetry(bool Symmetric, string Summary, IReadOnlyList<string> Differences);

/// <summary>One end of the trace: what the argument named and where that is.</summary>
/// <param name="Kind"><c>pod</c>, <c>node</c> or <c>address</c> (an IP that is a node's InternalIP or inside its pod CIDR).</param>
/// <param name="Pod">"namespace/name" for a pod.</param>
/// <param name="Gateway">The node's domain (its raven.openyurt.io/gateway label); null for a node in none.</param>
/// <param name="Address">The address packets are sent to/from: the pod IP, the node's InternalIP, or the IP given.</param>
public sealed record TraceEnd(string Kind, string Node, string? Gateway, string? Address, string? Pod = null);

/// <param name="Kind">
/// What the hop is: <c>pod</c>, <c>node</c>, <c>lan</c> (within a domain), <c>vxlan</c> (raven0 between a node and its
/// gateway), <c>gateway</c> (a tunnel endpoint), <c>tunnel</c> (between two gateways), <c>relay</c> (the central
/// gateway forwarding between two tunnels), <c>l3</c> (the L3 switch, when off).
/// </param>
/// <param name="Name">The node, pod or link ("hz-1 -> cloud-1").</param>
/// <param name="Health"><see cref="TraceHealth"/>: OK, WARN or FAIL.</param>
/// <param name="Reason">Why the packet takes this hop, and what its health rests on.</param>
/// <param name="Basis">
/// Where the hop comes from: <c>api</c> (objects as read), <c>report</c> (an agent's published data-plane or
/// connections report) or <c>planned</c> (derived from the Gateways by the agents' planner; not measured).
/// </param>
public sealed record TraceHop(string Kind, string Name, string? Address, string Health, string Reason, string Basis);

/// <summary>The three health values, as `raven diagnose` prints them.</summary>
public static class TraceHealth
{
    public const string Ok = "OK";
    public const string Warn = "WARN";
    public const string Fail = "FAIL";

    public const string Api = "api";
    public const string Report = "report";
    public const string Planned = "planned";

    public static string Worst(string a, string b) => a == Fail || b == Fail ? Fail : a == Warn || b == Warn ? Warn : Ok;
}
