using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel;

/// <summary>Raven's route tables (9027, 9028) and the rules pointing at them: exactly what the plan lists.</summary>
public sealed class PolicyRoutingDriver(NetlinkReconciler reconciler)
{
    public static readonly IReadOnlyList<uint> OwnedTables = [KernelNames.VxlanRouteTable, KernelNames.WireGuardRouteTable];

    /// <summary>Returns how many routes the plan asked for and could be programmed (devices present).</summary>
    /// <param name="source">The preferred source of a route (the tunnel backend's <see cref="ITunnelBackend.RouteSource"/>); null: none.</param>
    public int Apply(IReadOnlyList<PlannedRoute> routes, IReadOnlyList<PolicyRule> rules, Func<PlannedRoute, IPAddress?>? source = null)
    {
        var errors = new List<string>();
        var programmed = 0;
        var indexes = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var table in OwnedTables)
        {
            var wanted = new List<NetRoute>();
            foreach (var route in routes.Where(r => r.Table == table))
            {
                if (!indexes.TryGetValue(route.Device, out var index))
                {
                    index = reconciler.Netlink.FindLink(route.Device)?.Index;
                    indexes[route.Device] = index;
                }

                if (index is null)
                {
                    errors.Add($"route {route.Destination} table {table}: device {route.Device} does not exist");
                    continue;
                }

                wanted.Add(ToNetRoute(route, index.Value) with { PreferredSource = route.Source ?? source?.Invoke(route) });
            }

            reconciler.SyncRoutes(table, wanted);
            programmed += wanted.Count;
        }

        reconciler.SyncRules(rules.Select(ToNetRule), OwnedTables);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }

        return programmed;
    }

    public static NetRoute ToNetRoute(PlannedRoute route, int deviceIndex) =>
        new(new IPNetwork(route.Destination.Network, route.Destination.PrefixLength))
        {
            Table = (uint)route.Table,
            Gateway = route.Gateway,
            OutputInterface = deviceIndex,
            OnLink = route.OnLink,
            Mtu = route.Mtu,
            Scope = route.Gateway is null ? RouteScope.Link : RouteScope.Universe,
        };

    public static NetRule ToNetRule(PolicyRule rule) =>
        new((uint)rule.Priority, (uint)rule.Table)
        {
            FwMark = rule.FwMark,
            FwMask = rule.FwMask,
            Source = rule.Source is { } source ? new IPNetwork(source.Network, source.PrefixLength) : null,
        };
}
