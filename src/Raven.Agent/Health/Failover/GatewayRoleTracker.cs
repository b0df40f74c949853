using Raven.Agent.Health.Detection;

namespace Raven.Agent.Health.Failover;

/// <summary>
/// <see cref="GatewayRole"/> over time: remembers since when each fit gateway's uplink has been below the best and
/// grants it <see cref="FailoverOptions.UplinkConfirm"/> of grace. Deterministic; time is a monotonic offset passed in.
/// </summary>
public sealed class GatewayRoleTracker(FailoverOptions? options = null)
{
    private readonly FailoverOptions _options = (options ?? new FailoverOptions()).Validated();
    private readonly Dictionary<string, TimeSpan> _deficitSince = new(StringComparer.Ordinal);

    public GatewayRoleDecision Decide(GatewayRoleInputs inputs, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var fit = new Dictionary<string, int>(StringComparer.Ordinal);
        if (inputs.LanHealthy)
        {
            fit[inputs.Self] = inputs.Uplink;
        }

        foreach (var peer in inputs.Peers.Where(p => p.State == HealthState.Up && p.LastClaim is not null))
        {
            fit[peer.NodeName] = peer.LastClaim!.Value.Uplink;
        }

        int best = fit.Count == 0 ? 0 : fit.Values.Max();
        foreach (var name in _deficitSince.Keys.Where(n => !fit.TryGetValue(n, out int uplink) || uplink >= best).ToList())
        {
            _deficitSince.Remove(name);
        }

        var grace = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, uplink) in fit.Where(f => f.Value < best))
        {
            if (!_deficitSince.TryGetValue(name, out var since))
            {
                _deficitSince[name] = since = now;
            }

            if (now - since < _options.UplinkConfirm)
            {
                grace.Add(name);
            }
        }

        return GatewayRole.Decide(inputs with { UplinkGrace = grace });
    }
}
