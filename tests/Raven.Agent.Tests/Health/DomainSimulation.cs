using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Failover;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// A domain gw-hangzhou with tunnel gateways hz-1 (primary) and hz-2 (standby) and members hz-m1, hz-m2, plus the
/// remote gateway cloud-gw of another domain. Tests cut links and kill nodes; each round every live node decides from
/// what its own probes would see (a path is Up when both ends and every link on it work and it is not in hold-down),
/// using the claims the gateways published at the end of the previous round. A round is one 100 ms probe interval.
/// Rounds repeat until nothing changes.
/// </summary>
public sealed class DomainSimulation
{
    public const string Primary = "hz-1";
    public const string Standby = "hz-2";
    public const string Member1 = "hz-m1";
    public const string Member2 = "hz-m2";
    public const string Remote = "cloud-gw";
    public static readonly string[] Gateways = [Primary, Standby];
    public static readonly string[] Members = [Member1, Member2];

    private static readonly TimeSpan RoundLength = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<(string Observer, string Target), GatewayClaim> _lastSeen = [];
    private readonly Dictionary<string, GatewayRoleTracker> _trackers = Gateways.ToDictionary(g => g, _ => new GatewayRoleTracker());
    private TimeSpan _now;

    public DomainSimulation()
    {
        Claims = Gateways.ToDictionary(g => g, _ => GatewayClaim.None);
        Choices = Members.Append(Remote).ToDictionary(n => n, _ => (string?)null);
    }

    public HashSet<string> Dead { get; } = [];

    /// <summary>The node's own LAN link is cut (it reaches nobody in the domain, and nobody reaches it).</summary>
    public HashSet<string> LanCut { get; } = [];

    /// <summary>The node's WAN link is cut (gateways: their tunnels; the remote: everything).</summary>
    public HashSet<string> WanCut { get; } = [];

    /// <summary>Only the LAN path between these two nodes is broken.</summary>
    public HashSet<(string, string)> BrokenLanPaths { get; } = [];

    /// <summary>Probe paths (observer, target) that work again but whose detector is still in hold-down (Down, answering).</summary>
    public HashSet<(string, string)> HeldDown { get; } = [];

    /// <summary>
    /// Probe paths (observer, target) whose probes go unanswered though both nodes and the links work: a stretch of
    /// lost probes, a responder that stalls.
    /// </summary>
    public HashSet<(string, string)> Unanswered { get; } = [];

    /// <summary>Probe paths (observer, target) that are broken but whose detector has not noticed yet (still Up).</summary>
    public HashSet<(string, string)> NotYetDown { get; } = [];

    public Dictionary<string, GatewayClaim> Claims { get; private set; }

    public Dictionary<string, string?> Choices { get; }

    /// <summary>What happened, in order: gateway actions that change a claim, and route moves of members and the remote.</summary>
    public List<string> Events { get; } = [];

    public static DomainSimulation Settled()
    {
        var simulation = new DomainSimulation();
        simulation.Settle();
        simulation.Events.Clear();
        return simulation;
    }

    /// <summary>Brings a dead node back like a restarted agent (no claim), with every detector that sees it in hold-down.</summary>
    public void Revive(string node)
    {
        Dead.Remove(node);
        if (Claims.ContainsKey(node))
        {
            Claims[node] = GatewayClaim.None;
        }

        foreach (var observer in Gateways.Concat(Members).Append(Remote).Where(o => o != node))
        {
            HeldDown.Add((observer, node));
        }
    }

    /// <summary>One probe interval: every live node decides once.</summary>
    public void Step() => Round();

    /// <summary>Runs rounds until nothing has changed for 5 rounds in a row (longer than any confirm period).</summary>
    public void Settle()
    {
        int quiet = 0;
        for (int round = 0; round < 50; round++)
        {
            quiet = Round() ? 0 : quiet + 1;
            if (quiet == 5)
            {
                return;
            }
        }

        throw new InvalidOperationException("the domain did not settle in 50 rounds: " + string.Join("; ", Events));
    }

    public string Describe(string gateway) => Claims[gateway] switch
    {
        { Serving: true, Yielding: true } c => $"serving yielding {c.Epoch}",
        { Serving: true } c => $"serving {c.Epoch}",
        _ => "standby",
    };

    private bool Round()
    {
        bool changed = false;
        var next = new Dictionary<string, GatewayClaim>(Claims);
        foreach (var gateway in Gateways.Where(g => !Dead.Contains(g)))
        {
            var witnesses = Members.Concat(Gateways.SkipWhile(g => g != gateway).Skip(1)).ToList();
            var decision = _trackers[gateway].Decide(new GatewayRoleInputs
            {
                Self = gateway,
                Order = Gateways,
                Current = Claims[gateway],
                Uplink = Seen(gateway, Remote, Tunnel(gateway)) == HealthState.Up ? 1 : 0,
                RemoteDomains = 1,
                LanHealthy = LanHealth.Judge(LanCut.Contains(gateway) ? LinkCarrier.Down : LinkCarrier.Up, witnesses.Count, witnesses.Count(w => Lan(gateway, w))),
                Peers = [.. Gateways.Where(p => p != gateway).Select(p => Observe(gateway, p, Lan(gateway, p)))],
            }, _now);
            var before = Claims[gateway];
            changed |= decision.Claim != before;
            if (decision.Claim with { Uplink = 0 } != before with { Uplink = 0 })
            {
                Events.Add($"{gateway} {decision.Action} {decision.Claim.Epoch}");
            }

            next[gateway] = decision.Claim;
        }

        foreach (var node in Members.Append(Remote).Where(n => !Dead.Contains(n)))
        {
            var seen = Gateways.Select(g => Observe(node, g, node == Remote ? Tunnel(g) : Lan(node, g))).ToList();
            var choice = ServingGatewayChooser.Choose(seen, Choices[node]);
            if (choice.MovesFrom(Choices[node]))
            {
                changed = true;
                Events.Add($"{node} -> {choice.NodeName}");
                Choices[node] = choice.NodeName;
            }
        }

        Claims = next;
        _now += RoundLength;
        return changed;
    }

    private GatewayObservation Observe(string observer, string target, bool reachable)
    {
        var state = Seen(observer, target, reachable);
        var answering = state == HealthState.Down && Answers(observer, target, reachable) && HeldDown.Contains((observer, target));
        if (state == HealthState.Up || answering)
        {
            _lastSeen[(observer, target)] = Claims[target];
        }

        return new GatewayObservation(target, state, _lastSeen.TryGetValue((observer, target), out var claim) ? claim : null) { Answering = answering };
    }

    private HealthState Seen(string observer, string target, bool reachable) =>
        (Answers(observer, target, reachable) && !HeldDown.Contains((observer, target))) || NotYetDown.Contains((observer, target))
            ? HealthState.Up
            : HealthState.Down;

    private bool Answers(string observer, string target, bool reachable) => reachable && !Unanswered.Contains((observer, target));

    private bool Lan(string a, string b) =>
        !Dead.Contains(a) && !Dead.Contains(b) && !LanCut.Contains(a) && !LanCut.Contains(b)
        && !BrokenLanPaths.Contains((a, b)) && !BrokenLanPaths.Contains((b, a));

    private bool Tunnel(string gateway) =>
        !Dead.Contains(gateway) && !Dead.Contains(Remote) && !WanCut.Contains(gateway) && !WanCut.Contains(Remote);
}
