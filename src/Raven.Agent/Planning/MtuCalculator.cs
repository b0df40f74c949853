namespace Raven.Agent.Planning;

/// <summary>
/// Every cross-domain packet may cross raven0 and the tunnel device, so raven0 and the routes get the smaller of the two
/// tunnel MTUs; a relay adds hops with the same overhead, so it does not lower the minimum further.
/// </summary>
public static class MtuCalculator
{
    public const int VxlanOverheadIPv4 = 50;
    public const int VxlanOverheadIPv6 = 70;
    public const int WireGuardOverheadIPv4 = Tunnel.WireGuard.WireGuardProfile.OverheadIPv4;
    public const int WireGuardOverheadIPv6 = Tunnel.WireGuard.WireGuardProfile.OverheadIPv6;

    /// <summary>IPv4 (20) plus TCP (20) headers without options.</summary>
    public const int TcpIpHeaders = 40;

    public static MtuPlan Compute(int underlayMtu, bool vxlanUnderlayIPv6, bool wireGuardUnderlayIPv6) =>
        Compute(underlayMtu, vxlanUnderlayIPv6, wireGuardUnderlayIPv6 ? WireGuardOverheadIPv6 : WireGuardOverheadIPv4);

    /// <param name="tunnelOverhead">The selected backend's overhead (<see cref="ITunnelProfile.Overhead"/>).</param>
    /// <param name="maxTunnelMtu">The backend's own ceiling on its device's MTU (<see cref="ITunnelProfile.MaxLinkMtu"/>), if any.</param>
    public static MtuPlan Compute(int underlayMtu, bool vxlanUnderlayIPv6, int tunnelOverhead, int? maxTunnelMtu = null)
    {
        var vxlan = underlayMtu - (vxlanUnderlayIPv6 ? VxlanOverheadIPv6 : VxlanOverheadIPv4);
        var tunnel = Math.Min(underlayMtu - tunnelOverhead, maxTunnelMtu ?? int.MaxValue);
        var route = Math.Min(vxlan, tunnel);
        return new MtuPlan(route, tunnel, route, route - TcpIpHeaders);
    }
}
