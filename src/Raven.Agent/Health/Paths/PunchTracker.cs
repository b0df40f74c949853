using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Planning;

namespace Raven.Agent.Health.Paths;

/// <summary>
/// Per punchable remote domain, the stage of its punched path (docs/nat-traversal.md, "Hole punching"), deterministic
/// with time passed in. One address pair binds to one WireGuard peer, so the two paths are measured in turn:
/// * <b>Relayed</b>: the remote endpoint's probe travels the relay; once it has been Up for <see cref="PunchOptions.Settle"/>
///   its numbers are kept as the relay's cost and a trial starts (at most once per retry wait);
/// * <b>Trial</b>: the punched peer routes the remote endpoint's /32, so the direct probe measures the punched path.
///   Not Up within <see cref="PunchOptions.TrialTimeout"/>: back to Relayed, retried later. Up: a
///   <see cref="PathChooser"/> that starts on the relay decides — direct only when cheaper by the margin for the hold.
///   Then this end is <b>ready</b> and says so in its probe requests to the remote end (<see cref="Advertised"/>); it
///   moves to Direct once the remote end's requests say ready or direct too (not within the trial timeout: back to
///   Relayed). Both ends must move together: WireGuard accepts a source address from one peer only, so while one end
///   sends through the punched peer and the other through the relay, each drops the other's packets;
/// * <b>Direct</b>: the domain's CIDRs go through the punched peer; the chooser keeps comparing the live direct path
///   with the relay's last cost, and falls back at once when the direct path goes Down (or after the hold when it
///   became dearer), or when the remote end's requests say it went back to the relay.
/// </summary>
public sealed class PunchTracker(PunchOptions? options = null)
{
    public const string RelayPath = "relay";
    public const string DirectPath = "direct";

    private readonly PunchOptions _options = (options ?? new PunchOptions()).Validated();
    private readonly Dictionary<string, DomainPunch> _domains = new(StringComparer.Ordinal);

    /// <param name="candidates">The remote domains the plan punches towards.</param>
    /// <param name="relayed">Probe statistics of a domain's endpoint while its probe travels the relay.</param>
    /// <param name="direct">Probe statistics of the direct probe (only meaningful on trial or direct).</param>
    /// <param name="remote">What the remote endpoint's latest probe request to this node said about its punched path
    /// (<see cref="ProbeFlags.PunchReady"/>, <see cref="ProbeFlags.PunchDirect"/>); null when none came recently.</param>
    /// <param name="changes">Receives one line per stage change with the numbers that decided it.</param>
    public IReadOnlyDictionary<string, PunchStage> Decide(IReadOnlyCollection<string> candidates, Func<string, ProbeStatistics?> relayed,
        Func<string, ProbeStatistics?> direct, Func<string, ProbeFlags?> remote, TimeSpan now, ICollection<string> changes)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(relayed);
        ArgumentNullException.ThrowIfNull(direct);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var gone in _domains.Keys.Where(k => !candidates.Contains(k)).ToList())
        {
            _domains.Remove(gone);
        }

        var stages = new Dictionary<string, PunchStage>(StringComparer.Ordinal);
        foreach (var domain in candidates.Order(StringComparer.Ordinal))
        {
            if (!_domains.TryGetValue(domain, out var state))
            {
                _domains[domain] = state = new DomainPunch(now);
            }

            Step(domain, state, relayed(domain), direct(domain), remote(domain), now, changes);
            stages[domain] = state.Stage;
        }

        return stages;
    }

    /// <summary>What this end's probe requests to each domain's remote endpoint say about its punched path.</summary>
    public IReadOnlyDictionary<string, ProbeFlags> Advertised() =>
        _domains.ToDictionary(d => d.Key, d => d.Value switch
        {
            { Stage: PunchStage.Direct } => ProbeFlags.PunchDirect,
            { Stage: PunchStage.Trial, ReadySince: not null } => ProbeFlags.PunchReady,
            _ => ProbeFlags.None,
        }, StringComparer.Ordinal);

    /// <summary>
    /// Per domain on trial or direct, the relay's numbers kept when its trial started: the relay is not measured
    /// meanwhile (the punched peer takes the probe address). A copy; read it on the thread that calls <see cref="Decide"/>.
    /// </summary>
    public IReadOnlyDictionary<string, PathMeasurement> KeptRelays() =>
        _domains.Where(d => d.Value.Stage != PunchStage.Relayed && d.Value.Relay is not null)
            .ToDictionary(d => d.Key, d => d.Value.Relay!, StringComparer.Ordinal);

    private void Step(string domain, DomainPunch state, ProbeStatistics? relay, ProbeStatistics? direct, ProbeFlags? remote, TimeSpan now,
        ICollection<string> changes)
    {
        bool remoteOnPunched = remote is { } flags && (flags & (ProbeFlags.PunchReady | ProbeFlags.PunchDirect)) != 0;
        switch (state.Stage)
        {
            case PunchStage.Relayed:
                if (relay is not { State: HealthState.Up, SmoothedRtt: not null })
                {
                    state.UpSince = null;
                    return;
                }

                state.UpSince ??= now;
                if (now - state.UpSince.Value < _options.Settle || now < state.RetryAt)
                {
                    return;
                }

                state.Relay = PathMeasurement.From(RelayPath, relay);
                state.Chooser = new PathChooser(_options.Cost);
                state.Chooser.Evaluate([state.Relay], now);
                Move(domain, state, PunchStage.Trial, now, changes,
                    $"trying the punched path (relay cost {PathCost.Milliseconds(state.Relay, _options.Cost):0.0} ms)");
                return;

            case PunchStage.Trial or PunchStage.Direct:
                var measured = direct is null ? new PathMeasurement(DirectPath, HealthState.Unknown, null, 0) : PathMeasurement.From(DirectPath, direct);
                if (state.Stage == PunchStage.Direct && remote == ProbeFlags.None)
                {
                    Fail(domain, state, now, changes, "the remote end went back to the relay");
                    return;
                }

                if (state.Stage == PunchStage.Trial && measured.State != HealthState.Up)
                {
                    state.ReadySince = null;
                    if (now - state.Since >= _options.TrialTimeout)
                    {
                        Fail(domain, state, now, changes, $"the punched path did not answer within {_options.TrialTimeout.TotalSeconds:0} s");
                    }

                    return;
                }

                var decision = state.Chooser!.Evaluate([measured, state.Relay!], now);
                if (decision.Chosen == DirectPath && state.Stage == PunchStage.Trial)
                {
                    if (state.ReadySince is null)
                    {
                        state.ReadySince = now;
                        state.ReadyBecause = decision.ToString(); // the switch's numbers, for the line when it happens
                    }

                    if (remoteOnPunched)
                    {
                        state.Failures = 0;
                        var waited = now - state.ReadySince.Value;
                        Move(domain, state, PunchStage.Direct, now, changes, waited > TimeSpan.Zero
                            ? $"{state.ReadyBecause}; the remote end is ready too (after {waited.TotalMilliseconds:0} ms)"
                            : $"{state.ReadyBecause}; the remote end is ready too");
                    }
                    else if (now - state.ReadySince.Value >= _options.TrialTimeout)
                    {
                        Fail(domain, state, now, changes, $"the remote end did not get ready for the punched path within {_options.TrialTimeout.TotalSeconds:0} s");
                    }
                }
                else if (decision.Chosen == RelayPath && state.Stage == PunchStage.Direct)
                {
                    Fail(domain, state, now, changes, decision.ToString());
                }
                else if (state.Stage == PunchStage.Trial)
                {
                    state.ReadySince = null; // the relay is (again) the cheaper one
                    if (decision.Reason == PathDecisionReason.Kept && now - state.Since >= _options.TrialTimeout)
                    {
                        Fail(domain, state, now, changes, $"the punched path did not win within {_options.TrialTimeout.TotalSeconds:0} s: {decision}");
                    }
                }

                return;
        }
    }

    private void Fail(string domain, DomainPunch state, TimeSpan now, ICollection<string> changes, string why)
    {
        var wait = TimeSpan.FromTicks(Math.Min(_options.MaxRetryAfter.Ticks, _options.RetryAfter.Ticks << Math.Min(state.Failures, 16)));
        state.Failures++;
        state.RetryAt = now + wait;
        state.UpSince = null;
        Move(domain, state, PunchStage.Relayed, now, changes, $"{why}; retried in {wait.TotalSeconds:0} s");
    }

    private static void Move(string domain, DomainPunch state, PunchStage stage, TimeSpan now, ICollection<string> changes, string why)
    {
        changes.Add($"domain {domain}: {state.Stage} -> {stage}: {why}");
        state.Stage = stage;
        state.Since = now;
        state.ReadySince = null;
    }

    private sealed class DomainPunch(TimeSpan now)
    {
        public PunchStage Stage { get; set; } = PunchStage.Relayed;

        public TimeSpan Since { get; set; } = now;

        public TimeSpan? UpSince { get; set; }

        /// <summary>On trial: since when the chooser prefers the punched path (this end is ready); null: not ready.</summary>
        public TimeSpan? ReadySince { get; set; }

        /// <summary>The chooser's decision that made this end ready.</summary>
        public string ReadyBecause { get; set; } = "";

        public TimeSpan RetryAt { get; set; }

        public int Failures { get; set; }

        public PathMeasurement? Relay { get; set; }

        public PathChooser? Chooser { get; set; }
    }
}
