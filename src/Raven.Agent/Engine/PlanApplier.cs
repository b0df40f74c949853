using Raven.Agent.Engine.Drivers;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine;

/// <summary>
/// Hands each driver the plan, in dependency order: the tunnel device first (table 9028 routes point at it), then
/// raven0, routes and rules, netfilter, sysctls. A driver that throws becomes a failed outcome and the next one
/// still runs, so one broken slice never freezes the others.
/// </summary>
public sealed class PlanApplier(IReadOnlyList<IPlanDriver> drivers)
{
    public IReadOnlyList<IPlanDriver> Drivers { get; } = drivers ?? throw new ArgumentNullException(nameof(drivers));

    /// <summary>The production drivers of one node's kernel, with <paramref name="tunnel"/> as the tunnel backend.</summary>
    public static PlanApplier ForKernel(NodeKernel kernel, ITunnelBackend tunnel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(tunnel);
        return new([new TunnelStep(tunnel), new VxlanStep(kernel), new RoutingStep(kernel, tunnel), new NetfilterStep(kernel), new SysctlStep(kernel)]);
    }

    public async Task<IReadOnlyList<DriverOutcome>> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var outcomes = new List<DriverOutcome>(Drivers.Count);
        foreach (var driver in Drivers)
        {
            try
            {
                outcomes.Add(await driver.ApplyAsync(plan, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                outcomes.Add(DriverOutcome.Failure(driver.Name, ex));
            }
        }

        return outcomes;
    }

    internal static Task Step(List<string> errors, string name, Action action) => Step(errors, name, () =>
    {
        action();
        return Task.CompletedTask;
    });

    internal static async Task Step(List<string> errors, string name, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            errors.Add($"{name}: {ex.Message}");
        }
    }
}
