using Raven.Agent.Planning;

namespace Raven.Agent.Engine;

/// <summary>
/// Pure: the plan names the WireGuard device raven-wg0; a node configured with another interface name (several
/// agents on one machine share the host-global UAPI socket directory) gets every mention renamed.
/// </summary>
public static class PlanInterfaceNames
{
    public static NetworkPlan WithWireGuardDevice(NetworkPlan plan, string device)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        if (device == KernelNames.WireGuardDevice)
        {
            return plan;
        }

        string Rename(string name) => name == KernelNames.WireGuardDevice ? device : name;
        string? RenameOptional(string? name) => name is null ? null : Rename(name);
        return plan with
        {
            WireGuard = plan.WireGuard is { } wg ? wg with { Device = Rename(wg.Device) } : null,
            Routes = plan.Routes.Select(r => r with { Device = Rename(r.Device) }).ToValueList(),
            Chains = plan.Chains.Select(c => c with
            {
                Hooks = c.Hooks.Select(h => h with { OutInterface = RenameOptional(h.OutInterface) }).ToValueList(),
                Rules = c.Rules.Select(r => r with
                {
                    Match = r.Match with { InInterface = RenameOptional(r.Match.InInterface), OutInterface = RenameOptional(r.Match.OutInterface) },
                }).ToValueList(),
            }).ToValueList(),
        };
    }
}
