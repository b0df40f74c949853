using System.Net;
using Raven.Agent.Health.Probing;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Planning;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// Which probes a node sends (docs/health-probes.md §1): to its own domain's tunnel endpoints over the LAN, and, on a
/// tunnel endpoint, to every remote domain's tunnel endpoints through its own tunnel device, so the reply says whether
/// this node's tunnel reaches that domain. A remote endpoint is probed only when the tunnel routes its address
/// (forward-node-ip, no address collision); otherwise a probe could only fail.
/// </summary>
public static class HealthTargets
{
    public static string Lan(string node) => $"lan/{node}";

    public static string Tunnel(string domain, string node) => $"tunnel/{domain}/{node}";

    /// <summary>The probe of a punched path on trial or in use: its own session, so its numbers are the direct path's alone.</summary>
    public static string Direct(string domain, string node) => $"direct/{domain}/{node}";

    public static IReadOnlyList<ProbeTarget> For(HealthView view, NetworkPlan? plan, int port = ProbeWire.DefaultPort)
    {
        ArgumentNullException.ThrowIfNull(view);
        var targets = new List<ProbeTarget>();
        if (view.Own is null)
        {
            return targets;
        }

        targets.AddRange(view.Own.Gateways.Where(g => g.NodeName != view.Self)
            .Select(g => new ProbeTarget(Lan(g.NodeName), new IPEndPoint(g.PrivateIp, port))));
        if (!view.SelfIsGateway || plan?.Tunnel is not { } tunnel)
        {
            return targets;
        }

        // From the node's own address: remote gateways bind it to this endpoint's own peer, also while it stands by,
        // so the probe and its reply both travel through this node's tunnel, whichever endpoint carries the domain.
        var source = view.Own.Gateways.First(g => g.NodeName == view.Self).PrivateIp;
        foreach (var domain in view.Remote)
        {
            var carried = tunnel.Peers.Where(p => p.Domains.Contains(domain.Name)).SelectMany(p => p.RemoteCidrs).ToList();
            targets.AddRange(domain.Gateways.Where(g => carried.Any(c => c.Contains(g.PrivateIp)))
                .Select(g => new ProbeTarget(Tunnel(domain.Name, g.NodeName), new IPEndPoint(g.PrivateIp, port)) 
                {
                    Device = tunnel.Device,
                    Source = source.AddressFamily == g.PrivateIp.AddressFamily ? source : null,
                }));
        }

        // A punched peer on trial (or carrying its domain) routes the remote endpoint's /32: the same address, its own session.
        foreach (var peer in tunnel.Peers.Where(p => p.Punched && plan.Paths.Any(d => d.Gateway == p.GatewayName && d.Punch is PunchStage.Trial or PunchStage.Direct)))
        {
            if (view.Remote.FirstOrDefault(d => d.Name == peer.GatewayName)?.Gateways.FirstOrDefault(g => g.NodeName == peer.NodeName) is { } g)
            {
                targets.Add(new ProbeTarget(Direct(peer.GatewayName, g.NodeName), new IPEndPoint(g.PrivateIp, port))
                {
                    Device = tunnel.Device,
                    Source = source.AddressFamily == g.PrivateIp.AddressFamily ? source : null,
                });
            }
        }

        return targets;
    }
}
