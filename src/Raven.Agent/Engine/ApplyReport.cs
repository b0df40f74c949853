using Raven.Agent.Engine.Drivers;
using Raven.Agent.Planning;

namespace Raven.Agent.Engine;

/// <summary>What one plan-and-apply pass did. Counters are deltas of this pass, so a no-op pass has all zero.</summary>
public sealed record ApplyReport(
    NetworkPlan Plan,
    long NetlinkChanges,
    long NetfilterRestores,
    long SysctlWrites,
    bool TunnelChanged,
    int RoutesProgrammed,
    IReadOnlyList<string> Errors,
    TimeSpan Duration)
{
    /// <summary>Every driver's typed outcome, in the order they ran.</summary>
    public IReadOnlyList<DriverOutcome> Outcomes { get; init; } = [];

    public bool Succeeded => Errors.Count == 0;

    public bool Changed => NetlinkChanges > 0 || NetfilterRestores > 0 || SysctlWrites > 0 || TunnelChanged ||
                           Outcomes.Any(o => o.Status == DriverStatus.Changed);
}
