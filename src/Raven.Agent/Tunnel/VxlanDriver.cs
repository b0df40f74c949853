using Raven.Agent.Linux;
using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel;

/// <summary>raven0: the VXLAN link, its overlay address, permanent ARP and FDB entries. A null plan removes it.</summary>
public sealed class VxlanDriver(NetlinkReconciler reconciler)
{
    public void Apply(VxlanPlan? plan)
    {
        if (plan is null)
        {
            reconciler.EnsureLinkAbsent(KernelNames.VxlanDevice);
            return;
        }

        var spec = new VxlanLinkSpec(plan.Name, (uint)plan.Vni, plan.LocalIp, (ushort)plan.Port)
        {
            Mtu = plan.Mtu,
            Mac = MacAddress.Parse(plan.Mac),
            Learning = false,
        };
        var link = reconciler.EnsureVxlan(spec);
        reconciler.SyncAddresses(link.Index, [new NetAddress(link.Index, plan.Address.Address, plan.Address.PrefixLength)]);
        reconciler.SyncArp(link.Index, plan.Neighbors.Select(n =>
            new NetNeighbor(NeighborFamily.Inet, link.Index, n.Address, MacAddress.Parse(n.Mac))));
        reconciler.SyncFdb(link.Index, plan.Fdb.Select(f =>
            new NetNeighbor(NeighborFamily.Bridge, link.Index, f.Destination, MacAddress.Parse(f.Mac)) { State = NeighborState.Permanent | NeighborState.NoArp }));
    }
}
