using Raven.Agent.Health.Detection;

namespace Raven.Agent.Health.Paths;

/// <summary>
/// One candidate path to a remote domain (direct, relayed via the cloud, relayed via another gateway) as its probe
/// target measures it: the detector state, the smoothed RTT and the loss ratio (<see cref="ProbeStatistics"/>).
/// </summary>
public sealed record PathMeasurement(string PathId, HealthState State, TimeSpan? SmoothedRtt, double LossRatio)
{
    public static PathMeasurement From(string pathId, ProbeStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new PathMeasurement(pathId, statistics.State, statistics.SmoothedRtt, statistics.LossRatio);
    }
}
