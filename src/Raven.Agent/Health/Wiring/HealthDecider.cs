using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Failover;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// Turns probe results into choices (docs/health-probes.md §5), deterministic with time passed in:
/// * its own domain: a tunnel endpoint runs <see cref="GatewayRoleTracker"/> (serve, wait, yield, step down) and sends
///   through itself while it claims; everyone else follows <see cref="ServingGatewayChooser"/> over its LAN probes;
/// * each remote domain, on a tunnel endpoint: <see cref="ServingGatewayChooser"/> over the probes sent through its
///   tunnel. Those probes travel through the peer that carries the domain now, so when that peer dies every
///   endpoint of the domain looks Down; then the next endpoint in priority order is tried, at most once per
///   <see cref="RotateAfter"/>, and its probes tell within a few intervals whether it carries the domain.
/// </summary>
/// <param name="detector">The probes' detector options: as many replies in a row as make a target Up count as uplink evidence.</param>
/// <param name="restored">The claim this node's previous agent answered with (its probe stand-in's): a restart carries on from it.</param>
public sealed class HealthDecider(FailoverOptions? failover = null, DetectorOptions? detector = null, GatewayClaim restored = default)
{
    /// <summary>How long a blind move to the next endpoint is given to prove itself before the one after is tried.</summary>
    public static readonly TimeSpan RotateAfter = TimeSpan.FromSeconds(2);

    /// <summary>How recently a witness's probe request must have reached this node to vouch for its LAN.</summary>
    public static readonly TimeSpan WitnessWindow = TimeSpan.FromSeconds(1);

    private readonly GatewayRoleTracker _tracker = new(failover);
    private readonly TimeSpan _servingCarrierHold = (failover ?? new FailoverOptions()).Validated().ServingCarrierHold;
    private TimeSpan? _carrierDownSince;
    private readonly Dictionary<string, string> _serving = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _rotatedAt = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reached = new(StringComparer.Ordinal);
    private readonly int _evidenceReplies = (detector ?? new DetectorOptions()).UpAfterReplies;
    private GatewayClaim _claim = restored;

    /// <param name="status">Probe statistics by target name (<see cref="HealthTargets"/>); null when not probed.</param>
    /// <param name="heard">How long ago a valid probe request from this node reached the local responder; null: never.</param>
    /// <param name="carrier">The carrier of this node's LAN device (<see cref="ILanCarrierReader"/>); counts for a tunnel
    /// endpoint only, and Unknown judges the LAN by its witnesses alone (<see cref="LanHealth.Judge"/>).</param>
    public HealthDecision Decide(HealthView view, Func<string, ProbeStatistics?> status, Func<string, TimeSpan?> heard, TimeSpan now,
        LinkCarrier carrier = LinkCarrier.Unknown)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(heard);
        var changes = new List<string>();
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        if (view.Own is { Gateways.Count: > 0 } own)
        {
            var choice = view.SelfIsGateway ? DecideAsGateway(view, own, status, heard, carrier, now, changes) : Follow(own, HealthTargets.Lan, status);
            Keep(own.Name, choice, wanted, changes);
        }

        if (view.SelfIsGateway)
        {
            foreach (var remote in view.Remote)
            {
                Keep(remote.Name, FollowRemote(remote, status, now), wanted, changes);
            }
        }

        foreach (var gone in _serving.Keys.Where(k => !wanted.ContainsKey(k)).ToList())
        {
            _serving.Remove(gone);
            _rotatedAt.Remove(gone);
            _reached.Remove(gone);
        }

        return new HealthDecision(new Dictionary<string, string>(_serving, StringComparer.Ordinal), _claim, changes);
    }

    private GatewayChoice DecideAsGateway(HealthView view, HealthDomain own, Func<string, ProbeStatistics?> status,
        Func<string, TimeSpan?> heard, LinkCarrier carrier, TimeSpan now, List<string> changes)
    {
        var order = own.GatewayNames.ToList();
        var peers = own.Gateways.Where(g => g.NodeName != view.Self).Select(g => Observe(g.NodeName, HealthTargets.Lan(g.NodeName), status)).ToList();
        var witnesses = own.Members.Select(m => m.NodeName).Concat(order.SkipWhile(n => n != view.Self).Skip(1)).ToList();
        var vouching = witnesses.Count(w => heard(w) is { } ago && ago <= WitnessWindow || status(HealthTargets.Lan(w))?.State == HealthState.Up);
        var uplink = view.Remote.Count(d => d.Gateways.Any(g => Reaches(status(HealthTargets.Tunnel(d.Name, g.NodeName)))));
        var decision = _tracker.Decide(new GatewayRoleInputs
        {
            Self = view.Self,
            Order = order,
            Current = _claim,
            Uplink = GatewayClaim.SaturatedUplink(uplink),
            RemoteDomains = view.Remote.Count(d => d.Gateways.Count > 0),
            FreshUplink = view.Remote.Count(d => d.Gateways.Any(g => status(HealthTargets.Tunnel(d.Name, g.NodeName)) is { ConsecutiveMisses: 0 } probe && Reaches(probe))),
            LanHealthy = LanHealth.Judge(HeldCarrier(carrier, now), witnesses.Count, vouching),
            Peers = peers,
        }, now);
        if (decision.Claim != _claim)
        {
            changes.Add($"claim {_claim} -> {decision}");
            _claim = decision.Claim;
        }

        if (_claim.Serving)
        {
            return new GatewayChoice(view.Self, ChoiceReason.ClaimedServing, $"this node serves at epoch {_claim.Epoch}");
        }

        // Not serving: follow the others; with nothing known about them (startup) the one the status records as
        // serving, even if that is this node — it claims as soon as its peers are known.
        var others = ServingGatewayChooser.Choose(peers, _serving.GetValueOrDefault(own.Name));
        return others.NodeName is null || others.Reason == ChoiceReason.NothingUpPrimary
            ? new GatewayChoice(own.Recorded ?? order[0], ChoiceReason.NothingUpPrimary, others.Explanation)
            : others;
    }

    /// <summary>
    /// The carrier as the LAN judgement sees it: while this node serves, a carrier down for less than
    /// <see cref="FailoverOptions.ServingCarrierHold"/> leaves the judgement to the witnesses (a blip moves nothing).
    /// </summary>
    private LinkCarrier HeldCarrier(LinkCarrier carrier, TimeSpan now)
    {
        _carrierDownSince = carrier == LinkCarrier.Down ? _carrierDownSince ?? now : null;
        return carrier == LinkCarrier.Down && _claim.Serving && now - _carrierDownSince!.Value < _servingCarrierHold ? LinkCarrier.Unknown : carrier;
    }

    private GatewayChoice Follow(HealthDomain domain, Func<string, string> target, Func<string, ProbeStatistics?> status) =>
        ServingGatewayChooser.Choose(domain.Gateways.Select(g => Observe(g.NodeName, target(g.NodeName), status)).ToList(),
            _serving.GetValueOrDefault(domain.Name), domain.Recorded);

    private GatewayChoice FollowRemote(HealthDomain remote, Func<string, ProbeStatistics?> status, TimeSpan now)
    {
        var choice = Follow(remote, node => HealthTargets.Tunnel(remote.Name, node), status);
        var probes = remote.Gateways.Select(g => status(HealthTargets.Tunnel(remote.Name, g.NodeName))).ToList();
        if (probes.Any(Reaches))
        {
            _reached.Add(remote.Name);
        }

        // Blind only after a real loss: at start-up the tunnel is not up yet, and a path that answers again (its
        // detector still in hold-down) is the one to keep.
        var answering = status(HealthTargets.Tunnel(remote.Name, choice.NodeName ?? ""))?.ConsecutiveReplies > 0;
        var blind = choice.Reason is ChoiceReason.NothingUpKeptCurrent && remote.Gateways.Count > 1 && _reached.Contains(remote.Name) &&
                    !answering && probes.All(p => p?.State == HealthState.Down);
        if (!blind || (_rotatedAt.TryGetValue(remote.Name, out var at) && now - at < RotateAfter))
        {
            return choice;
        }

        var names = remote.GatewayNames.ToList();
        var next = names[(names.IndexOf(choice.NodeName!) + 1) % names.Count];
        _rotatedAt[remote.Name] = now;
        return new GatewayChoice(next, ChoiceReason.FirstUp,
            $"every endpoint is Down through {choice.NodeName}, whose tunnel carries them; trying {next}");
    }

    private void Keep(string domain, GatewayChoice choice, Dictionary<string, string> wanted, List<string> changes)
    {
        if (choice.NodeName is null)
        {
            return;
        }

        wanted[domain] = choice.NodeName;
        if (_serving.GetValueOrDefault(domain) != choice.NodeName)
        {
            changes.Add($"domain {domain}: {_serving.GetValueOrDefault(domain) ?? "(start)"} -> {choice}");
            _serving[domain] = choice.NodeName;
        }
    }

    /// <summary>
    /// Uplink evidence: Up, or answering again (a few replies in a row) while the detector sits out its hold-down, so
    /// a standby whose tunnel starts carrying the domain counts at once.
    /// </summary>
    private bool Reaches(ProbeStatistics? probe) => probe is { State: HealthState.Up } || probe?.ConsecutiveReplies >= _evidenceReplies;

    private GatewayObservation Observe(string node, string target, Func<string, ProbeStatistics?> status) =>
        status(target) is { } s
            ? new GatewayObservation(node, s.State, s.LastClaim) { Answering = s.State == HealthState.Down && s.ConsecutiveReplies >= _evidenceReplies }
            : new GatewayObservation(node, HealthState.Unknown);
}
