using Raven.Agent.Linux.Netfilter;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine;

/// <summary>What the drivers did with one plan; <see cref="Errors"/> names the failing driver.</summary>
public sealed record DriverResults(bool VpnChanged, int RoutesProgrammed, IReadOnlyList<string> Errors);

/// <summary>
/// Hands each driver its slice of a plan, in dependency order: the WireGuard device (table 9028 routes point at it),
/// raven0, routes and rules, netfilter, sysctls. One failing driver does not stop the others.
/// </summary>
public sealed class PlanApplier(NodeKernel kernel, IVpnDriver vpn)
{
    private readonly VxlanDriver _vxlan = new(kernel.Reconciler);
    private readonly PolicyRoutingDriver _routing = new(kernel.Reconciler);

    public async Task<DriverResults> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<string>();
        var vpnChanged = false;
        var routes = 0;
        await Step(errors, "wireguard", async () => vpnChanged = (await vpn.ApplyAsync(plan.WireGuard, cancellationToken).ConfigureAwait(false)).Changed)
            .ConfigureAwait(false);
        await Step(errors, "vxlan", () => _vxlan.Apply(plan.Vxlan)).ConfigureAwait(false);
        await Step(errors, "routing", () => routes = _routing.Apply(plan.Routes, plan.Rules)).ConfigureAwait(false);
        await Step(errors, "netfilter", async () =>
        {
            var hashNetNet = await kernel.SupportsHashNetNetAsync(cancellationToken).ConfigureAwait(false);
            await kernel.Netfilter.ApplyAsync(RavenNetfilter.FromPlan(plan, hashNetNet), cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await Step(errors, "sysctl", () =>
        {
            foreach (var setting in plan.Sysctls)
            {
                kernel.EnsureSysctl(setting.Key, setting.Value);
            }
        }).ConfigureAwait(false);
        return new DriverResults(vpnChanged, routes, errors);
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
