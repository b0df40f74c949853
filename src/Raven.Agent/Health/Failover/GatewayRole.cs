using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Failover;

/// <summary>
/// Pure, stateless decision of one tunnel gateway: serve its domain or stand by (docs/health-probes.md §5).
/// The gateway that should serve is the first in priority order among those fit to: reachable over the LAN (itself:
/// <see cref="GatewayRoleInputs.LanHealthy"/>) and reaching as many remote domains as the best of them (a deficit
/// younger than the confirm period does not count: <see cref="GatewayRoleInputs.UplinkGrace"/>). A standby
/// takes over only when every peer's health is known and no reachable peer still serves unyielded; a serving
/// gateway that is no longer the right one yields (keeps serving until the other claims a newer epoch, so there is
/// always someone serving), and steps down once a reachable peer serves at a newer epoch. A standby that reaches no
/// remote domain never takes over (<see cref="GatewayRoleInputs.RemoteDomains"/>). Because a recovered
/// primary is Up in its peers' detectors only after the hold-down, a standby yields back only after that.
/// </summary>
public static class GatewayRole
{
    public static GatewayRoleDecision Decide(GatewayRoleInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Order.Distinct(StringComparer.Ordinal).Count() != inputs.Order.Count)
        {
            throw new ArgumentException($"the domain's gateway order [{string.Join(", ", inputs.Order)}] names a gateway twice", nameof(inputs));
        }

        int selfIndex = IndexOf(inputs.Order, inputs.Self);
        var peers = inputs.Order
            .Where(name => name != inputs.Self)
            .Select(name => inputs.Peers.FirstOrDefault(p => p.NodeName == name) ?? new GatewayObservation(name, HealthState.Unknown))
            .ToList();
        var current = inputs.Current;
        byte uplink = GatewayClaim.SaturatedUplink(inputs.Uplink);
        uint knownEpoch = peers.Select(p => p.LastClaim?.Epoch ?? 0).Append(current.Epoch).Max();
        var serving = peers.Where(p => p.ClaimsServing).ToList();

        GatewayRoleDecision Decision(bool serve, bool yielding, uint epoch, RoleAction action, string why) =>
            new(new GatewayClaim(serve, serve && yielding, epoch, uplink), action, why);

        bool Stronger(GatewayObservation peer) =>
            peer.LastClaim!.Value.Epoch > current.Epoch
            || (peer.LastClaim.Value.Epoch == current.Epoch && IndexOf(inputs.Order, peer.NodeName) < selfIndex);

        if (!current.Serving && peers.FirstOrDefault(p => p.State == HealthState.Unknown) is { } unknown)
        {
            return Decision(false, false, current.Epoch, RoleAction.WaitForPeers, $"health of {unknown.NodeName} not known yet");
        }

        // Fit to serve: this node when its LAN works; a peer when it is Up over the LAN and has told us its uplink.
        var fit = inputs.Order
            .Select(name => name == inputs.Self
                ? (Name: name, Fit: inputs.LanHealthy, Uplink: (int)uplink)
                : FitnessOf(peers.First(p => p.NodeName == name)))
            .Where(c => c.Fit)
            .ToList();
        if (fit.Count == 0)
        {
            return Decision(current.Serving, current.Yielding, current.Epoch, RoleAction.Hold,
                "this node's LAN is unhealthy and no peer gateway is Up: nobody is fit to serve from here");
        }

        int best = fit.Max(c => c.Uplink);
        var desired = fit.First(c => c.Uplink == best || inputs.UplinkGrace.Contains(c.Name));
        if (desired.Name == inputs.Self)
        {
            if (current.Serving)
            {
                if (serving.FirstOrDefault(p => Stronger(p) && !p.LastClaim!.Value.Yielding) is { } rival)
                {
                    return Decision(false, false, current.Epoch, RoleAction.StepDown,
                        $"{rival.NodeName} serves at epoch {rival.LastClaim!.Value.Epoch}, newer than ours ({current.Epoch})");
                }

                if (serving.FirstOrDefault(Stronger) is { } yielder)
                {
                    return Decision(true, false, knownEpoch + 1, RoleAction.Reclaim,
                        $"{yielder.NodeName} (epoch {yielder.LastClaim!.Value.Epoch}) yields to us");
                }

                return Decision(true, false, current.Epoch, RoleAction.StayServing, Why(desired.Name, desired.Uplink, fit, inputs));
            }

            if (serving.FirstOrDefault(p => !p.LastClaim!.Value.Yielding) is { } holder)
            {
                return Decision(false, false, current.Epoch, RoleAction.WaitForYield,
                    $"we should serve ({Why(desired.Name, desired.Uplink, fit, inputs)}), but {holder.NodeName} serves at epoch " +
                    $"{holder.LastClaim!.Value.Epoch} and has not yielded");
            }

            if (selfIndex > 0 && inputs.ReachesNothing)
            {
                return Decision(false, false, current.Epoch, RoleAction.Hold,
                    $"the gateways ahead of us are not Up, but this node reaches none of the {inputs.RemoteDomains} remote domains " +
                    "either: its own link is more likely cut than theirs, and the domain would gain nothing");
            }

            if (inputs.Order.Take(selfIndex).FirstOrDefault(inputs.DownDuringOwnCut.Contains) is { } ahead)
            {
                return Decision(false, false, current.Epoch, RoleAction.Hold,
                    $"{ahead} went Down while this node reached no remote domain itself (its own link was cut, most likely); " +
                    $"waiting up to {inputs.SuspectAfterOwnCut.TotalSeconds:0.#} s after our uplink returned for {ahead} to be Up again");
            }

            return Decision(true, false, knownEpoch + 1, RoleAction.TakeOver, Why(desired.Name, desired.Uplink, fit, inputs));
        }

        if (!current.Serving)
        {
            return Decision(false, false, current.Epoch, RoleAction.StayStandby, Why(desired.Name, desired.Uplink, fit, inputs));
        }

        if (serving.FirstOrDefault(Stronger) is { } successor)
        {
            return Decision(false, false, current.Epoch, RoleAction.StepDown,
                $"{successor.NodeName} serves at epoch {successor.LastClaim!.Value.Epoch}, newer than ours ({current.Epoch})");
        }

        return Decision(true, true, current.Epoch, RoleAction.Yield, Why(desired.Name, desired.Uplink, fit, inputs));
    }

    private static (string Name, bool Fit, int Uplink) FitnessOf(GatewayObservation peer) =>
        (peer.NodeName, peer.IsUp && peer.LastClaim is not null, peer.LastClaim?.Uplink ?? 0);

    private static string Why(string desired, int uplink, List<(string Name, bool Fit, int Uplink)> fit, GatewayRoleInputs inputs)
    {
        var ahead = inputs.Order.TakeWhile(n => n != desired).ToList();
        if (ahead.Count == 0)
        {
            return $"{desired} is first in priority and fit (reaches {uplink} remote domains)";
        }

        var reasons = ahead.Select(name => fit.FirstOrDefault(c => c.Name == name) is { Name: not null } c
            ? $"{name} reaches {c.Uplink}"
            : name == inputs.Self ? $"{name} (this node) has an unhealthy LAN" : $"{name} is not Up");
        return $"{desired} reaches {uplink} remote domains; " + string.Join(", ", reasons);
    }

    private static int IndexOf(IReadOnlyList<string> order, string name)
    {
        for (int i = 0; i < order.Count; i++)
        {
            if (order[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"gateway '{name}' is not in the domain's gateway order [{string.Join(", ", order)}]", nameof(order));
    }
}
