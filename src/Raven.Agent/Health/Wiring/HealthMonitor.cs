using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Health.Probing;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Planning;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// The agent's data-plane health: a probe responder for everyone, probes to the targets <see cref="HealthTargets"/>
/// names, and every <see cref="HealthMonitorOptions.DecideEvery"/> a <see cref="HealthDecider"/> round whose choices
/// the engine's planner takes (<see cref="LocalNode.ServingGateways"/>). Raises <see cref="Changed"/> when a choice
/// moves; the claim goes into the responder's replies at once.
/// </summary>
public sealed class HealthMonitor : Engine.IHealthChoices, IAsyncDisposable
{
    private readonly HealthMonitorOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HealthDecider _decider;
    private readonly ResponderState _state;
    private readonly Paths.PunchTracker _punch;
    private readonly ILanCarrierReader _carrierReader;
    private readonly bool _ownsCarrierReader;
    private readonly LanCarrierWatch _carrier;
    private ProbeResponder? _responder;
    private ProbeStandIn.Running? _standIn;
    private readonly Prober _prober;
    private readonly long _origin;
    private volatile HealthView _view = HealthView.Empty;
    private volatile NetworkPlan? _plan;
    private IReadOnlyList<ProbeTarget> _synced = [];
    private volatile IReadOnlyDictionary<string, string> _serving = new Dictionary<string, string>(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, PunchStage> _punched = new Dictionary<string, PunchStage>(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, Paths.PathMeasurement> _keptRelays = new Dictionary<string, Paths.PathMeasurement>(StringComparer.Ordinal);

    private HealthMonitor(HealthMonitorOptions options, ProbeResponder? responder, ResponderState state, ProbeStandIn.Running? standIn, ILogger logger,
        TimeProvider time, GatewayClaim restored, ILanCarrierReader? carrier)
    {
        _ownsCarrierReader = carrier is null;
        _carrierReader = carrier ?? new NetlinkLanCarrierReader(options.NetworkNamespace, time);
        _carrier = new LanCarrierWatch(_carrierReader, logger);
        _options = options;
        _responder = responder;
        _state = state;
        _standIn = standIn;
        _logger = logger;
        _time = time;
        _origin = time.GetTimestamp();
        _decider = new HealthDecider(detector: options.Detector, restored: restored);
        _punch = new Paths.PunchTracker(options.Punch);
        _prober = new Prober(new ProberOptions { NodeName = options.NodeName, NetworkNamespace = options.NetworkNamespace, Detector = options.Detector },
            options.Key, time, logger);
    }

    /// <summary>Raised (on the monitor's loop) when a serving choice moved.</summary>
    public event Action? Changed;

    /// <summary>Per domain, the tunnel endpoint this node's probes chose.</summary>
    public IReadOnlyDictionary<string, string> ServingGateways => _serving;

    /// <summary>Per punchable remote domain, the stage of its punched path (<see cref="Paths.PunchTracker"/>).</summary>
    public IReadOnlyDictionary<string, PunchStage> PunchedPaths => _punched;

    public GatewayClaim Claim => _state.Current;

    /// <summary>The latest carrier reading of this node's LAN device; null until this node is a tunnel endpoint (only those read it).</summary>
    public LanCarrierReading? LanCarrier => _carrier.Current;

    /// <summary>
    /// Per remote domain, the candidate paths with their RTT, loss and cost and the one in use (<see cref="PathReport"/>),
    /// from the latest plan and probe numbers; safe to call from any thread (a metrics scrape).
    /// </summary>
    public IReadOnlyList<Paths.DomainPaths> CandidatePaths()
    {
        var serving = _serving;
        return PathReport.Build(_plan, serving.GetValueOrDefault, name => _prober.Find(name)?.Statistics, _keptRelays, _options.Punch.Cost);
    }

    /// <summary>Every probe target's current numbers, by name; safe to call from any thread (a metrics scrape).</summary>
    public IReadOnlyList<ProbeTargetStatus> Targets() => _prober.Snapshot();

    /// <summary>One probe target's current numbers (names from <see cref="HealthTargets"/>); null when not probed.</summary>
    public ProbeTargetStatus? Target(string name) => _prober.Find(name);

    /// <summary>
    /// Binds the responder (UDP <see cref="HealthMonitorOptions.Port"/>, all addresses of the node). A probe stand-in left
    /// by the previous agent hands over instead: the monitor carries on from its claim, and the stand-in keeps answering
    /// alone until this agent has made its first plan (its start-up, which on a busy node delays replies past the probes'
    /// timeout, is over); then the responder binds beside it (SO_REUSEPORT) and the stand-in is stopped.
    /// </summary>
    /// <param name="carrier">Reads the LAN device's carrier; null: rtnetlink in <see cref="HealthMonitorOptions.NetworkNamespace"/>.</param>
    public static HealthMonitor Start(HealthMonitorOptions options, ILogger? logger = null, TimeProvider? time = null, ILanCarrierReader? carrier = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var log = logger ?? NullLogger.Instance;
        var clock = time ?? TimeProvider.System;
        var standIn = options.StateDirectory is { } directory && options.NetworkNamespace is null ? ProbeStandIn.Find(directory) : null;
        var restored = standIn?.Claim ?? GatewayClaim.None;
        var state = new ResponderState(restored);
        if (standIn is { } running)
        {
            log.LogInformation("probe stand-in pid {Pid} answers for this node: carrying on as {Claim}; taking over once the first plan is made", running.Process.Pid, restored);
        }

        var responder = standIn is null ? StartResponder(options, state, log, clock) : null;
        return new HealthMonitor(options, responder, state, standIn, log, clock, restored, carrier);
    }

    private static ProbeResponder StartResponder(HealthMonitorOptions options, ResponderState state, ILogger logger, TimeProvider time) =>
        ProbeResponder.Start(new ResponderOptions { NodeName = options.NodeName, NetworkNamespace = options.NetworkNamespace, Port = options.Port },
            options.Key, state, time: time, logger: logger);

    /// <summary>Binds this agent's responder beside the stand-in and stops the stand-in (see <see cref="Start"/>).</summary>
    private void TakeOverFromStandIn()
    {
        if (_standIn is not { } running || _responder is not null)
        {
            return;
        }

        try
        {
            _responder = StartResponder(_options, _state, _logger, _time);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            _logger.LogWarning("probe responder could not bind beside the stand-in ({Error}); retrying", e.Message);
            return;
        }

        ProbeStandIn.Stop(_options.StateDirectory!, running);
        _standIn = null;
        _logger.LogInformation("took over from probe stand-in pid {Pid} as {Claim}", running.Process.Pid, _state.Current);
    }

    /// <summary>
    /// On a clean stop: starts a probe stand-in that answers with this node's claim from now on (<see cref="ProbeStandIn"/>),
    /// so the restart is no failover. Null when there is none to start (no state directory, a test namespace, no hold).
    /// </summary>
    /// <param name="raven">The command that runs raven (this process's own executable).</param>
    /// <param name="hold">How long the stand-in waits for the next agent before it gives up.</param>
    public System.Diagnostics.Process? StartStandIn(IReadOnlyList<string> raven, TimeSpan hold) =>
        _options.StateDirectory is { } directory && _options.NetworkNamespace is null && hold > TimeSpan.Zero && _standIn is null
            ? ProbeStandIn.Launch(raven, ProbeStandIn.Arguments(_options.NodeName, _options.Port, Claim, hold, directory), directory, _logger)
            : null;

    /// <summary>Until the stand-in <see cref="StartStandIn"/> started is bound, at most until <paramref name="cancellationToken"/> fires.</summary>
    public Task<bool> WaitForStandInAsync(System.Diagnostics.Process? standIn, CancellationToken cancellationToken) =>
        standIn is null || _options.StateDirectory is not { } directory
            ? Task.FromResult(false)
            : ProbeStandIn.WaitUntilBoundAsync(standIn, directory, _logger, cancellationToken);

    /// <summary>The Gateways and the plan of the engine's latest pass: which targets to probe follows from them.</summary>
    public void Observe(IReadOnlyList<Gateway> gateways, NetworkPlan plan)
    {
        _view = HealthView.From(gateways, _options.NodeName);
        _plan = plan;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.DecideEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await RoundAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sync-and-decide round (the loop's body; tests call it directly).</summary>
    public async Task RoundAsync()
    {
        var view = _view;
        if (_plan is not null)
        {
            TakeOverFromStandIn();
        }

        var targets = HealthTargets.For(view, _plan, _options.Port);
        if (!targets.SequenceEqual(_synced))
        {
            var result = await _prober.SyncAsync(targets).ConfigureAwait(false);
            _synced = targets;
            foreach (var failed in result.Failed)
            {
                _logger.LogWarning("probe target {Target} could not start; retried on the next change", failed);
            }
        }

        var decision = _decider.Decide(view, name => _prober.Find(name)?.Statistics,
            node => _responder?.SinceLastHeard(ProbeNodeId.Of(node)), _time.GetElapsedTime(_origin), ReadCarrier(view));
        _state.Set(decision.Claim);
        foreach (var change in decision.Changes)
        {
            _logger.LogInformation("failover: {Change}", change);
        }

        var moved = false;
        if (!SameEntries(decision.Serving, _serving))
        {
            _serving = decision.Serving;
            moved = true;
        }

        if (DecidePunches(_plan))
        {
            moved = true;
        }

        if (moved)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>Only a tunnel endpoint reads its carrier (one netlink request per round): nothing a member decides depends on it.</summary>
    private Failover.LinkCarrier ReadCarrier(HealthView view) =>
        view.SelfIsGateway && view.SelfIp is { } ip ? _carrier.Read(ip) : Failover.LinkCarrier.Unknown;

    /// <summary>How recent the remote endpoint's last request must be for what it says about its punched path to count.</summary>
    private static readonly TimeSpan RemotePunchWindow = TimeSpan.FromSeconds(1);

    /// <summary>Punched paths: the relay measured by the endpoint's tunnel probe, the direct path by its own probe.</summary>
    private bool DecidePunches(NetworkPlan? plan)
    {
        var peers = plan?.Role == PlanRole.TunnelGateway && plan.Tunnel is { } tunnel
            ? tunnel.Peers.Where(p => p.Punched).ToDictionary(p => p.GatewayName, p => p.NodeName, StringComparer.Ordinal)
            : [];
        var changes = new List<string>();
        var stages = _punch.Decide(peers.Keys,
            domain => _prober.Find(HealthTargets.Tunnel(domain, peers[domain]))?.Statistics,
            domain => _prober.Find(HealthTargets.Direct(domain, peers[domain]))?.Statistics,
            domain => _responder?.PunchFrom(ProbeNodeId.Of(peers[domain]), RemotePunchWindow),
            _time.GetElapsedTime(_origin), changes);
        foreach (var change in changes)
        {
            _logger.LogInformation("path: {Change}", change);
        }

        // Both of the remote endpoint's probes of ours carry our state, whichever it hears last; a change goes out at once.
        foreach (var (domain, punch) in _punch.Advertised())
        {
            _prober.SetPunch(HealthTargets.Tunnel(domain, peers[domain]), punch);
            _prober.SetPunch(HealthTargets.Direct(domain, peers[domain]), punch);
        }

        if (SameEntries(stages, _punched))
        {
            return false;
        }

        // The kept relay numbers change only as a trial starts, which is a stage change.
        _keptRelays = _punch.KeptRelays();
        _punched = stages;
        return true;
    }

    private static bool SameEntries<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var value) && EqualityComparer<T>.Default.Equals(value, p.Value));

    public async ValueTask DisposeAsync()
    {
        await _prober.DisposeAsync().ConfigureAwait(false);
        if (_responder is not null)
        {
            await _responder.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsCarrierReader && _carrierReader is IDisposable reader)
        {
            reader.Dispose();
        }
    }
}
