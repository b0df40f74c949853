using System.Net;
using System.Net.Sockets;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Planning;

/// <summary>
/// Pure: (Gateways, local node, options) → the node's complete desired L3 state. No I/O, no clock, no randomness;
/// the same inputs in any order give an Equal plan. Bad input is reported in <see cref="NetworkPlan.Diagnostics"/>;
/// remote addresses that are local or claimed by two domains are left out (<see cref="NetworkPlan.Exclusions"/>).
/// </summary>
public sealed class Planner(IPathPolicy pathPolicy)
{
    public Planner()
        : this(ReachabilityPathPolicy.Instance)
    {
    }

    public IPathPolicy PathPolicy { get; } = pathPolicy ?? throw new ArgumentNullException(nameof(pathPolicy));

    public NetworkPlan Plan(IReadOnlyList<Gateway> gateways, LocalNode node, PlannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var diagnostics = new List<Diagnostic>();
        var domains = PeerConflicts.Resolve(DomainReader.Read(gateways, options, node.ServingGateways, diagnostics), options.Tunnel, diagnostics);
        var mine = domains.Where(d => d.Node(node.Name) is not null).ToList();
        if (mine.Count == 0)
        {
            return NetworkPlan.Empty(PlanRole.NotInDomain, node.Name, null, diagnostics);
        }

        var local = mine[0];
        if (mine.Count > 1)
        {
            diagnostics.Add(new($"node/{node.Name}",
                $"listed in several gateways ({string.Join(", ", mine.Select(d => d.Name))}); using {local.Name}", DiagnosticKind.SkippedInput));
        }

        if (!options.EnableL3Tunnel)
        {
            return NetworkPlan.Empty(PlanRole.Disabled, node.Name, local.Name, diagnostics);
        }

        if (local.Tunnel is null)
        {
            diagnostics.Add(new($"gateway/{local.Name}", "no active tunnel endpoint; L3 disabled"));
            return NetworkPlan.Empty(PlanRole.Disabled, node.Name, local.Name, diagnostics);
        }

        var self = local.Node(node.Name)!;
        if (node.InternalIp is not null && !node.InternalIp.Equals(self.PrivateIp))
        {
            diagnostics.Add(new($"node/{node.Name}", $"InternalIP {node.InternalIp} differs from status privateIP {self.PrivateIp}; using the status"));
        }

        var exclusions = new List<ExcludedAddress>();
        var routable = AddressClaims.Resolve(local, domains, node, exclusions, diagnostics);
        // Only the serving tunnel endpoint punches: members route through it whatever its path, standbys stay relayed.
        var punched = options.HolePunching && options.Tunnel.PunchesHoles && local.Tunnel.NodeName == node.Name ? node.PunchedPaths : null;
        var topology = Topology.Compute(local, routable, PathPolicy, diagnostics, punched);
        var overlay = OverlayAddressing.Assign(local.Nodes, local.Tunnel.NodeName, $"gateway/{local.Name}", diagnostics);
        var tunnelIPv6 = IsIPv6(local.Tunnel.PublicIp) || topology.Peers.Any(p => IsIPv6(p.Peer.Tunnel?.PublicIp));
        var mtu = MtuCalculator.Compute(options.UnderlayMtu, IsIPv6(self.PrivateIp), options.Tunnel.Overhead(tunnelIPv6), options.Tunnel.MaxLinkMtu);
        var context = new PlanContext(node.Name, local, self, topology, overlay, mtu, options, diagnostics, exclusions);
        return local.Tunnel.NodeName == node.Name ? GatewayPlanBuilder.Build(context)
            : local.IsStandby(node.Name) ? StandbyPlanBuilder.Build(context)
            : MemberPlanBuilder.Build(context);
    }

    private static bool IsIPv6(IPAddress? address) => address?.AddressFamily == AddressFamily.InterNetworkV6;
}
