using Raven.Agent.Planning;
using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine.Drivers;

/// <summary>The plan's tunnel part, handed to whichever backend the registry selected.</summary>
public sealed class TunnelStep(ITunnelBackend backend) : IPlanDriver
{
    public string Name => "tunnel";

    public async Task<DriverOutcome> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var outcome = await backend.ApplyAsync(plan.Tunnel, cancellationToken).ConfigureAwait(false);
        return DriverOutcome.Of(Name, outcome.Changed) with { SkippedPeers = outcome.Skipped };
    }
}
