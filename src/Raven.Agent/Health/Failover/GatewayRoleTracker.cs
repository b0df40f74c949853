using Raven.Agent.Health.Detection;

namespace Raven.Agent.Health.Failover;

/// <summary>
/// <see cref="GatewayRole"/> over time: remembers since when each fit gateway's uplink has been below the best and
/// grants it <see cref="FailoverOptions.UplinkConfirm"/> of grace (<see cref="FailoverOptions.InitialElectionGrace"/> in a
/// domain's first election); and which higher-priority gateways this one saw
/// Down while it reached no remote domain itself (its own link cut), which are no reason to take over until
/// <see cref="FailoverOptions.SuspectAfterOwnCut"/> after the link is back. Deterministic; time is a monotonic offset passed in.
/// </summary>
public sealed class GatewayRoleTracker(FailoverOptions? options = null)
{
    private readonly FailoverOptions _options = (options ?? new FailoverOptions()).Validated();
    /// <summary>Gateways whose uplink is below the best → since when, and the grace granted when the deficit began.</summary>
    private readonly Dictionary<string, (TimeSpan Since, TimeSpan Allowed)> _deficits = new(StringComparer.Ordinal);

    /// <summary>Gateways seen Down during this node's own cut → when its uplink came back (null: still cut).</summary>
    private readonly Dictionary<string, TimeSpan?> _downDuringOwnCut = new(StringComparer.Ordinal);

    public GatewayRoleDecision Decide(GatewayRoleInputs inputs, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return GatewayRole.Decide(inputs with
        {
            UplinkGrace = TrackUplinkDeficits(inputs, now),
            DownDuringOwnCut = TrackOwnCut(inputs, now),
            SuspectAfterOwnCut = _options.SuspectAfterOwnCut,
        });
    }

    private HashSet<string> TrackOwnCut(GatewayRoleInputs inputs, TimeSpan now)
    {
        bool cut = inputs.ReachesNothing;
        foreach (var peer in inputs.Peers)
        {
            if (peer.State == HealthState.Up)
            {
                _downDuringOwnCut.Remove(peer.NodeName);
            }
            else if (cut && peer.State == HealthState.Down)
            {
                _downDuringOwnCut[peer.NodeName] = null;
            }
        }

        foreach (var name in _downDuringOwnCut.Keys.ToList())
        {
            var back = _downDuringOwnCut[name];
            if (back is null && !cut)
            {
                _downDuringOwnCut[name] = now;
            }
            else if (back is { } since && now - since >= _options.SuspectAfterOwnCut)
            {
                _downDuringOwnCut.Remove(name);
            }
        }

        return [.. _downDuringOwnCut.Keys];
    }

    private HashSet<string> TrackUplinkDeficits(GatewayRoleInputs inputs, TimeSpan now)
    {
        var fit = new Dictionary<string, int>(StringComparer.Ordinal);
        var neverServed = new HashSet<string>(StringComparer.Ordinal);
        if (inputs.LanHealthy)
        {
            fit[inputs.Self] = inputs.Uplink;
            if (inputs.Current.Epoch == 0)
            {
                neverServed.Add(inputs.Self);
            }
        }

        foreach (var peer in inputs.Peers.Where(p => p.State == HealthState.Up && p.LastClaim is not null))
        {
            fit[peer.NodeName] = peer.LastClaim!.Value.Uplink;
            if (peer.LastClaim.Value.Epoch == 0)
            {
                neverServed.Add(peer.NodeName);
            }
        }

        bool firstElection = !inputs.Current.Serving && !inputs.Peers.Any(p => p.ClaimsServing);

        int best = fit.Count == 0 ? 0 : fit.Values.Max();
        foreach (var name in _deficits.Keys.Where(n => !fit.TryGetValue(n, out int uplink) || uplink >= best).ToList())
        {
            _deficits.Remove(name);
        }

        var grace = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, uplink) in fit.Where(f => f.Value < best))
        {
            // The grace is fixed when the deficit begins: a starting primary that claims on its first-election grace
            // keeps it, instead of yielding moments after its claim because someone serves now (seen in CI).
            if (!_deficits.TryGetValue(name, out var deficit))
            {
                var allowed = firstElection && neverServed.Contains(name) ? _options.InitialElectionGrace : _options.UplinkConfirm;
                _deficits[name] = deficit = (now, allowed);
            }

            if (now - deficit.Since < deficit.Allowed)
            {
                grace.Add(name);
            }
        }

        return grace;
    }
}
