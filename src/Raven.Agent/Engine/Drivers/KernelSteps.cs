using Raven.Agent.Linux.Netfilter;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine.Drivers;

/// <summary>raven0, its FDB and neighbours; changed when rtnetlink was asked to change anything.</summary>
public sealed class VxlanStep(NodeKernel kernel) : IPlanDriver
{
    private readonly VxlanDriver _driver = new(kernel.Reconciler);

    public string Name => "vxlan";

    public Task<DriverOutcome> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var before = kernel.Netlink.ChangeRequests;
        _driver.Apply(plan.Vxlan);
        return Task.FromResult(DriverOutcome.Of(Name, kernel.Netlink.ChangeRequests != before));
    }
}

/// <summary>Tables 9027/9028 and the rules pointing at them; the tunnel backend may give its routes a source address.</summary>
public sealed class RoutingStep(NodeKernel kernel, ITunnelBackend? tunnel = null) : IPlanDriver
{
    private readonly PolicyRoutingDriver _driver = new(kernel.Reconciler);

    public string Name => "routing";

    public Task<DriverOutcome> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var before = kernel.Netlink.ChangeRequests;
        var routes = _driver.Apply(plan.Routes, plan.Rules, tunnel is null ? null : tunnel.RouteSource);
        return Task.FromResult(DriverOutcome.Of(Name, kernel.Netlink.ChangeRequests != before) with { RoutesProgrammed = routes });
    }
}

/// <summary>Raven's ipsets and chains, in one iptables-restore when anything differs.</summary>
public sealed class NetfilterStep(NodeKernel kernel) : IPlanDriver
{
    public string Name => "netfilter";

    public async Task<DriverOutcome> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var before = kernel.Netfilter.RestoreRuns;
        var hashNetNet = await kernel.SupportsHashNetNetAsync(cancellationToken).ConfigureAwait(false);
        await kernel.Netfilter.ApplyAsync(RavenNetfilter.FromPlan(plan, hashNetNet), cancellationToken).ConfigureAwait(false);
        return DriverOutcome.Of(Name, kernel.Netfilter.RestoreRuns != before);
    }
}

/// <summary>ip_forward and raven0's rp_filter, written only when they differ.</summary>
public sealed class SysctlStep(NodeKernel kernel) : IPlanDriver
{
    public string Name => "sysctl";

    public Task<DriverOutcome> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var changed = false;
        foreach (var setting in plan.Sysctls)
        {
            changed |= kernel.EnsureSysctl(setting.Key, setting.Value);
        }

        return Task.FromResult(DriverOutcome.Of(Name, changed));
    }
}
