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
    private readonly ProbeResponder _responder;
    private readonly Prober _prober;
    private readonly long _origin;
    private volatile HealthView _view = HealthView.Empty;
    private volatile NetworkPlan? _plan;
    private IReadOnlyList<ProbeTarget> _synced = [];
    private volatile IReadOnlyDictionary<string, string> _serving = new Dictionary<string, string>(StringComparer.Ordinal);

    private HealthMonitor(HealthMonitorOptions options, ProbeResponder responder, ILogger logger, TimeProvider time, GatewayClaim restored)
    {
        _options = options;
        _responder = responder;
        _logger = logger;
        _time = time;
        _origin = time.GetTimestamp();
        _decider = new HealthDecider(detector: options.Detector, restored: restored);
        _prober = new Prober(new ProberOptions { NodeName = options.NodeName, NetworkNamespace = options.NetworkNamespace, Detector = options.Detector },
            options.Key, time, logger);
    }

    /// <summary>Raised (on the monitor's loop) when a serving choice moved.</summary>
    public event Action? Changed;

    /// <summary>Per domain, the tunnel endpoint this node's probes chose.</summary>
    public IReadOnlyDictionary<string, string> ServingGateways => _serving;

    public GatewayClaim Claim => _responder.State.Current;

    /// <summary>One probe target's current numbers (names from <see cref="HealthTargets"/>); null when not probed.</summary>
    public ProbeTargetStatus? Target(string name) => _prober.Find(name);

    /// <summary>
    /// Binds the responder (UDP <see cref="HealthMonitorOptions.Port"/>, all addresses of the node). A probe stand-in left
    /// by the previous agent hands over here: the responder binds beside it with its claim, then the stand-in is stopped.
    /// </summary>
    public static HealthMonitor Start(HealthMonitorOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var log = logger ?? NullLogger.Instance;
        var clock = time ?? TimeProvider.System;
        var standIn = options.StateDirectory is { } directory && options.NetworkNamespace is null ? ProbeStandIn.Find(directory) : null;
        var restored = standIn?.Claim ?? GatewayClaim.None;
        var responder = ProbeResponder.Start(new ResponderOptions { NodeName = options.NodeName, NetworkNamespace = options.NetworkNamespace, Port = options.Port },
            options.Key, new ResponderState(restored), time: clock, logger: log);
        if (standIn is { } running)
        {
            ProbeStandIn.Stop(options.StateDirectory!, running);
            log.LogInformation("took over from probe stand-in pid {Pid}: carrying on as {Claim}", running.Process.Pid, restored);
        }

        return new HealthMonitor(options, responder, log, clock, restored);
    }

    /// <summary>
    /// On a clean stop: starts a probe stand-in that answers with this node's claim from now on (<see cref="ProbeStandIn"/>),
    /// so the restart is no failover. Null when there is none to start (no state directory, a test namespace, no hold).
    /// </summary>
    /// <param name="raven">The command that runs raven (this process's own executable).</param>
    /// <param name="hold">How long the stand-in waits for the next agent before it gives up.</param>
    public System.Diagnostics.Process? StartStandIn(IReadOnlyList<string> raven, TimeSpan hold) =>
        _options.StateDirectory is { } directory && _options.NetworkNamespace is null && hold > TimeSpan.Zero
            ? ProbeStandIn.Launch(raven, ProbeStandIn.Arguments(_options.NodeName, _options.Port, Claim, hold, directory), _logger)
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
            node => _responder.SinceLastHeard(ProbeNodeId.Of(node)), _time.GetElapsedTime(_origin));
        _responder.State.Set(decision.Claim);
        foreach (var change in decision.Changes)
        {
            _logger.LogInformation("failover: {Change}", change);
        }

        if (!decision.Serving.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(_serving.OrderBy(p => p.Key, StringComparer.Ordinal)))
        {
            _serving = decision.Serving;
            Changed?.Invoke();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _prober.DisposeAsync().ConfigureAwait(false);
        await _responder.DisposeAsync().ConfigureAwait(false);
    }
}
