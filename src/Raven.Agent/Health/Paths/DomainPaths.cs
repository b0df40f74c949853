using Raven.Agent.Health.Detection;
using Raven.Agent.Planning;

namespace Raven.Agent.Health.Paths;

/// <summary>
/// One candidate path to a remote domain as the metrics and the status show it. Null numbers: not measured (no probe
/// on this path now, no RTT sample yet) or, for the cost, not usable (<see cref="PathCost"/>).
/// </summary>
/// <param name="PathId"><c>direct</c>, or <c>relay:&lt;gateway&gt;</c> for the relay through that gateway.</param>
/// <param name="Kept">The numbers were kept from before the punched path's trial: the relay is not measured meanwhile.</param>
public sealed record PathReading(string PathId, HealthState State, double? RttMilliseconds, double? LossRatio, double? CostMilliseconds, bool Kept = false)
{
    public const string Direct = "direct";

    public static string Relay(string via) => $"relay:{via}";
}

/// <summary>A remote domain's candidate paths (the preferred first) and the one its traffic takes.</summary>
/// <param name="Punch">The stage of its punched path; null when the pair is not punched (one planned path).</param>
public sealed record DomainPaths(string Domain, string Chosen, PunchStage? Punch, IReadOnlyList<PathReading> Paths);
