using Raven.Api.Net;
using System.Net;

namespace Raven.Agent.Planning;

/// <summary>What the member and gateway builders share once the role is known.</summary>
internal sealed record PlanContext(
    string NodeName,
    DomainView Local,
    DomainNode Self,
    Topology Topology,
    IReadOnlyDictionary<string, IPAddress> Overlay,
    MtuPlan Mtu,
    PlannerOptions Options,
    List<Diagnostic> Diagnostics,
    IReadOnlyList<ExcludedAddress> Exclusions)
{
    public string Subject => $"gateway/{Local.Name}";

    public IReadOnlyList<Cidr> RemoteCidrs => CidrMath.Merge(Topology.RemoteCidrs);

    public static readonly PolicyRule VxlanRule =
        new(KernelNames.VxlanRulePriority, KernelNames.VxlanRouteTable, KernelNames.RavenMark, KernelNames.RavenMark);

    public static readonly SysctlSetting IpForward = new("net.ipv4.ip_forward", "1");

    /// <summary>Replies from remote domains arrive on raven0 while the main table points elsewhere: loose mode.</summary>
    public static readonly SysctlSetting VxlanRpFilter = new($"net.ipv4.conf.{KernelNames.VxlanDevice}.rp_filter", "2");

    public VxlanPlan Vxlan(IPAddress selfOverlay, IEnumerable<(DomainNode Node, IPAddress Overlay)> neighbours)
    {
        var list = neighbours.OrderBy(n => n.Node.Name, StringComparer.Ordinal).ToList();
        return new VxlanPlan(
            KernelNames.VxlanDevice,
            Options.VxlanVni,
            Options.VxlanPort,
            Self.PrivateIp,
            Mtu.VxlanLinkMtu,
            new InterfaceAddress(selfOverlay, OverlayAddressing.PrefixLength),
            OverlayAddressing.MacFor(selfOverlay),
            ClearMarkOnEgress: true,
            list.Select(n => new FdbEntry(n.Node.Name, OverlayAddressing.MacFor(n.Overlay), n.Node.PrivateIp)).ToValueList(),
            list.Select(n => new NeighborEntry(n.Node.Name, n.Overlay, OverlayAddressing.MacFor(n.Overlay))).ToValueList());
    }

    public NetworkPlan Build(
        PlanRole role,
        VxlanPlan? vxlan,
        TunnelPlan? tunnel,
        IEnumerable<PolicyRule> rules,
        IEnumerable<PlannedRoute> routes,
        IEnumerable<IpSetPlan> ipSets,
        IEnumerable<FirewallChain> chains,
        IEnumerable<SysctlSetting> sysctls) =>
        new(role, NodeName, Local.Name, Topology.Central?.Name, Mtu, vxlan, tunnel,
            Topology.Paths.ToValueList(),
            rules.OrderBy(r => r.Priority).ToValueList(),
            routes.OrderBy(r => r.Table).ThenBy(r => r.Destination).ToValueList(),
            ipSets.OrderBy(s => s.Name, StringComparer.Ordinal).ToValueList(),
            chains.OrderBy(c => c.Table).ThenBy(c => c.Name, StringComparer.Ordinal).ToValueList(),
            sysctls.Distinct().OrderBy(s => s.Key, StringComparer.Ordinal).ToValueList(),
            Diagnostic.Sorted(Diagnostics),
            Exclusions.ToValueList());
}
