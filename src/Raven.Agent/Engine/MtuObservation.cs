using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Planning;
using Raven.Api.DataPlane;

namespace Raven.Agent.Engine;

/// <summary>
/// Pure: the MTUs the plan assumes beside those the kernel has, for <see cref="DataPlaneReport.Mtu"/>. The underlay
/// device is the one holding the node's own IP (the address VXLAN and tunnel packets leave from in the usual layout,
/// as <see cref="Health.Wiring.NetlinkLanCarrierReader"/> finds it); raven0 and the tunnel device are found by name.
/// </summary>
public static class MtuObservation
{
    /// <param name="plan">The last plan (its route MTU, raven0's local IP, whether this node has a tunnel device).</param>
    /// <param name="plannedUnderlayMtu">The underlay MTU the planner was given.</param>
    /// <param name="nodeIp">The configured node IP, used when the plan has no VXLAN (L3 off, not in a domain).</param>
    /// <param name="tunnelDevice">The backend's device name (raven-wg0, the IPsec TUN).</param>
    public static MtuReport From(NetworkPlan plan, int plannedUnderlayMtu, IPAddress? nodeIp, string tunnelDevice,
        IReadOnlyList<NetLink> links, IEnumerable<NetAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(addresses);
        var ip = plan.Vxlan?.LocalIp ?? nodeIp;
        var byIndex = links.GroupBy(l => l.Index).ToDictionary(g => g.Key, g => g.First());
        var underlay = ip is null ? null
            : addresses.Where(a => a.Address.Equals(ip)).Select(a => byIndex.GetValueOrDefault(a.InterfaceIndex)).FirstOrDefault(l => l is not null);
        // Members have no tunnel device; a gateway's is named whatever its backend calls it.
        var tunnelName = plan.Tunnel?.Device is { Length: > 0 } planned ? planned : plan.Tunnel is null ? null : tunnelDevice;
        return new MtuReport
        {
            PlannedUnderlayMtu = plannedUnderlayMtu,
            PlannedRouteMtu = plan.Mtu?.RouteMtu,
            NodeIp = ip?.ToString(),
            UnderlayDevice = underlay?.Name,
            UnderlayDeviceMtu = underlay?.Mtu,
            VxlanDeviceMtu = links.FirstOrDefault(l => l.Name == KernelNames.VxlanDevice)?.Mtu,
            TunnelDevice = tunnelName,
            TunnelDeviceMtu = tunnelName is null ? null : links.FirstOrDefault(l => l.Name == tunnelName)?.Mtu,
        };
    }

    /// <summary>One link dump and one address dump of <paramref name="ip"/>'s family (both families when unknown).</summary>
    public static MtuReport Read(ILinkReader kernel, NetworkPlan plan, int plannedUnderlayMtu, IPAddress? nodeIp, string tunnelDevice)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(plan);
        var ip = plan.Vxlan?.LocalIp ?? nodeIp;
        IEnumerable<NetAddress> addresses = ip is null ? [] : kernel.ListAddresses(ip.AddressFamily);
        return From(plan, plannedUnderlayMtu, nodeIp, tunnelDevice, kernel.ListLinks(), addresses);
    }
}
