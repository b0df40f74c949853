using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Paths;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Api.DataPlane;

namespace Raven.Agent.Engine;

/// <summary>
/// Pure: what a tunnel gateway publishes about its tunnels (<see cref="ConnectionReport"/>) from the engine's plan, the
/// probes' candidate paths and the backend's connections. Null for every node that is not a tunnel endpoint (members,
/// nodes outside any domain, a node before its first plan): those publish nothing.
/// </summary>
public static class ConnectionReportRenderer
{
    public const string Serving = "serving";
    public const string Standby = "standby";

    /// <param name="paths">Per remote domain, the candidate paths (<c>HealthMonitor.CandidatePaths</c>); empty without probes.</param>
    /// <param name="reconnects">Per connection id, the up → down → up the agent counted (<see cref="ReconnectCounter"/>).</param>
    public static ConnectionReport? Render(NetworkPlan? plan, IReadOnlyList<DomainPaths> paths, IReadOnlyList<TunnelConnection> connections,
        IReadOnlyDictionary<string, int> reconnects, DateTimeOffset now) =>
        RenderWhole(plan, paths, connections, reconnects, now) is { } report ? ConnectionReportBudget.Fit(report) : null;

    /// <summary>As <see cref="Render"/>, without the size budget (what the metrics show).</summary>
    public static ConnectionReport? RenderWhole(NetworkPlan? plan, IReadOnlyList<DomainPaths> paths, IReadOnlyList<TunnelConnection> connections,
        IReadOnlyDictionary<string, int> reconnects, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(reconnects);
        if (plan is not { Role: PlanRole.TunnelGateway or PlanRole.StandbyGateway, Tunnel: { } tunnel })
        {
            return null;
        }

        var reports = connections.Select(c => Connection(c, tunnel, reconnects))
            .OrderBy(c => c.Gateway, StringComparer.Ordinal).ThenBy(c => c.Node, StringComparer.Ordinal).ToList();
        return new ConnectionReport
        {
            SampledAt = TruncateToSeconds(now.ToUniversalTime()),
            Backend = tunnel.Backend,
            Role = plan.Role == PlanRole.TunnelGateway ? Serving : Standby,
            // A standby sends nothing anywhere: its connections say how ready it is.
            Domains = plan.Role == PlanRole.TunnelGateway ? Domains(plan, tunnel, paths, reports) : [],
            Connections = reports,
        };
    }

    private static List<DomainConnection> Domains(NetworkPlan plan, TunnelPlan tunnel, IReadOnlyList<DomainPaths> paths, IReadOnlyList<TunnelConnectionReport> connections)
    {
        var measured = paths.ToDictionary(p => p.Domain, StringComparer.Ordinal);
        return plan.Paths.OrderBy(p => p.Gateway, StringComparer.Ordinal).Select(path =>
        {
            var candidates = measured.GetValueOrDefault(path.Gateway);
            var pathId = candidates?.Chosen ?? (path.Kind == PathKind.Direct ? PathReading.Direct : PathReading.Relay(path.Via));
            return new DomainConnection
            {
                Domain = path.Gateway,
                Path = pathId,
                Via = Via(path, tunnel) ?? "",
                Reason = Reason(path),
                Candidates = candidates?.Paths.Select(Candidate).ToList() ?? [],
                ReadyStandbys = tunnel.Peers.Where(p => p.Standby && p.GatewayName == path.Gateway)
                    .Where(p => connections.Any(c => c.Gateway == p.GatewayName && c.Node == p.NodeName && c.State == "up"))
                    .Select(p => p.NodeName).Order(StringComparer.Ordinal).ToList(),
            };
        }).ToList();
    }

    /// <summary>The remote endpoint the domain's traffic goes to: the punched peer when direct through the hole, else the serving peer of the next hop.</summary>
    private static string? Via(DomainPath path, TunnelPlan tunnel)
    {
        var punchedDirect = path.Punch == PunchStage.Direct;
        var hop = path.Kind == PathKind.Direct ? path.Gateway : path.Via;
        return tunnel.Peers.FirstOrDefault(p => p.GatewayName == hop && !p.Standby && p.Punched == punchedDirect)?.NodeName
            ?? tunnel.Peers.FirstOrDefault(p => p.GatewayName == hop && !p.Standby)?.NodeName;
    }

    private static string Reason(DomainPath path) => path.Punch switch
    {
        PunchStage.Direct => "punched path chosen by probes",
        PunchStage.Trial => "punched path on trial",
        PunchStage.Relayed => "relayed until a punched path works",
        _ => path.Kind == PathKind.Direct ? "planned" : "planned relay (no direct path)",
    };

    private static PathCostReport Candidate(PathReading reading) => new()
    {
        Path = reading.PathId,
        State = State(reading.State),
        RttMilliseconds = Round(reading.RttMilliseconds),
        LossRatio = Round(reading.LossRatio, 3),
        CostMilliseconds = Round(reading.CostMilliseconds),
    };

    private static TunnelConnectionReport Connection(TunnelConnection connection, TunnelPlan tunnel, IReadOnlyDictionary<string, int> reconnects) => new()
    {
        Gateway = connection.Gateway,
        // Backends without node names (VXLAN) have one connection per domain: its serving peer.
        Node = connection.Node ?? tunnel.Peers.FirstOrDefault(p => p.GatewayName == connection.Gateway && !p.Standby)?.NodeName ?? "",
        Endpoint = connection.Endpoint,
        State = connection.State switch
        {
            TunnelConnectionState.Up => "up",
            TunnelConnectionState.Down => "down",
            _ => "connecting",
        },
        LastHandshake = connection.LastHandshake is { } at ? TruncateToSeconds(at.ToUniversalTime()) : null,
        RxBytes = connection.RxBytes,
        TxBytes = connection.TxBytes,
        RxPackets = connection.RxPackets,
        TxPackets = connection.TxPackets,
        Reconnects = connection.Reconnects ?? reconnects.GetValueOrDefault(connection.Id),
    };

    private static string State(HealthState state) => state switch
    {
        HealthState.Up => "up",
        HealthState.Down => "down",
        _ => "unknown",
    };

    /// <summary>A tenth of a millisecond is below what the probes resolve; fewer digits keep the annotation small.</summary>
    private static double? Round(double? value, int digits = 1) => value is { } v ? Math.Round(v, digits) : null;

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), at.Offset);
}
