using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Paths;
using Raven.Agent.Planning;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// Per remote domain, the candidate paths of a tunnel gateway with their numbers and the one in use, for the metrics
/// and the status (docs/health-probes.md §6). Pure:
/// * a pair that is not punched has one path, the planned one (direct or relayed), measured by the tunnel probe to
///   the remote endpoint this node's probes chose;
/// * a punched pair has two, direct first. While relayed, the tunnel probe measures the relay and the direct path is
///   not measured; on trial and direct the punched peer takes the probe address, so the direct probe measures the
///   direct path and the relay shows the numbers kept when the trial started.
/// </summary>
public static class PathReport
{
    /// <param name="plan">The engine's latest plan; anything but a tunnel gateway's has no paths to report.</param>
    /// <param name="servingNode">Per remote domain, the endpoint its tunnel probes go to; null when none is chosen.</param>
    /// <param name="measured">Probe statistics by target name (<see cref="HealthTargets"/>); null when not probed.</param>
    /// <param name="keptRelays"><see cref="PunchTracker.KeptRelays"/>.</param>
    public static IReadOnlyList<DomainPaths> Build(NetworkPlan? plan, Func<string, string?> servingNode, Func<string, ProbeStatistics?> measured,
        IReadOnlyDictionary<string, PathMeasurement> keptRelays, PathCostOptions costs)
    {
        ArgumentNullException.ThrowIfNull(servingNode);
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(keptRelays);
        ArgumentNullException.ThrowIfNull(costs);
        if (plan is not { Role: PlanRole.TunnelGateway, Tunnel: { } tunnel })
        {
            return [];
        }

        var report = new List<DomainPaths>();
        foreach (var path in plan.Paths.OrderBy(p => p.Gateway, StringComparer.Ordinal))
        {
            var domain = path.Gateway;
            if (path.Punch is not { } stage)
            {
                var id = path.Kind == PathKind.Direct ? PathReading.Direct : PathReading.Relay(path.Via);
                var node = servingNode(domain);
                report.Add(new DomainPaths(domain, id, null, [Read(id, node is null ? null : measured(HealthTargets.Tunnel(domain, node)), costs)]));
                continue;
            }

            var remote = tunnel.Peers.FirstOrDefault(p => p.Punched && p.GatewayName == domain)?.NodeName;
            var relayId = plan.CentralGateway is { } central ? PathReading.Relay(central) : "relay";
            var direct = stage == PunchStage.Relayed || remote is null
                ? new PathReading(PathReading.Direct, HealthState.Unknown, null, null, null)
                : Read(PathReading.Direct, measured(HealthTargets.Direct(domain, remote)), costs);
            var relay = stage != PunchStage.Relayed && keptRelays.TryGetValue(domain, out var kept)
                ? Read(relayId, kept, costs) with { Kept = true }
                : Read(relayId, remote is null ? null : measured(HealthTargets.Tunnel(domain, remote)), costs);
            report.Add(new DomainPaths(domain, stage == PunchStage.Direct ? PathReading.Direct : relayId, stage, [direct, relay]));
        }

        return report;
    }

    private static PathReading Read(string id, ProbeStatistics? statistics, PathCostOptions costs) =>
        statistics is null ? new PathReading(id, HealthState.Unknown, null, null, null) : Read(id, PathMeasurement.From(id, statistics), costs);

    private static PathReading Read(string id, PathMeasurement measurement, PathCostOptions costs) =>
        new(id, measurement.State, measurement.SmoothedRtt?.TotalMilliseconds, measurement.LossRatio, PathCost.Milliseconds(measurement, costs));
}
