using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Engine.Drivers;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Agent.Linux;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.Net;
using Raven.Kube.Resilience;

namespace Raven.Agent.Engine;

/// <summary>
/// The L3 loop of one node: on every input change (debounced) or resync, plan and let each driver apply its slice,
/// publishing this node's tunnel config / public IP when they are missing. Errors are logged, counted and retried
/// with backoff; nothing here ends the loop except cancellation. The tunnel backend is whatever the registry
/// selected: the engine only sees <see cref="ITunnelBackend"/> and <see cref="IPlanDriver"/>s.
/// </summary>
public sealed class AgentEngine : IAsyncDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Between passes the kernel's MTUs are read again this often (one link and one address dump), about once per lease
    /// renewal at the default 40 s duration, so an MTU changed by hand reaches the report within a renewal or two.
    /// </summary>
    public static readonly TimeSpan MtuObserveEvery = TimeSpan.FromSeconds(15);

    private readonly Func<IReadOnlyDictionary<string, string>, AgentOptions> _optionsFor;
    private readonly IAgentInputs _inputs;
    private readonly IGatewayPublisher _publisher;
    private readonly NodeKernel? _kernel;
    private readonly ITunnelBackend _tunnel;
    private readonly PlanApplier _applier;
    private readonly IGatewayEvents _events;
    private readonly TunnelMetrics _tunnelMetrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Planner _planner = new();
    private readonly SemaphoreSlim _applyGate = new(1, 1);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, DateTimeOffset> _peerSince = new(StringComparer.Ordinal);
    private readonly DiagnosticMemory _diagnostics = new();
    private volatile ApplyReport? _lastReport;
    private AgentSnapshot? _lastFresh;
    private string? _staleLogged;
    private volatile IReadOnlyList<TunnelConnection> _connections = [];
    private IHealthChoices? _health;
    private readonly MtuObserver _mtu;

    /// <summary>The production engine of one node: the standard drivers on <paramref name="kernel"/>.</summary>
    /// <param name="optionsFor">Effective options for the current raven-agent-config data (flags win).</param>
    public AgentEngine(
        Func<IReadOnlyDictionary<string, string>, AgentOptions> optionsFor,
        IAgentInputs inputs,
        IGatewayPublisher publisher,
        NodeKernel kernel,
        ITunnelBackend tunnel,
        AgentMetrics metrics,
        ILogger? logger = null,
        TimeProvider? time = null,
        IGatewayEvents? events = null)
        : this(optionsFor, inputs, publisher, tunnel, PlanApplier.ForKernel(kernel, tunnel), metrics, logger, time, events,
            kernel ?? throw new ArgumentNullException(nameof(kernel)))
    {
    }

    /// <summary>
    /// An engine over any drivers (fakes in unit tests). Without <paramref name="kernel"/> the connected prefixes are
    /// empty and the kernel counters of the report stay zero; the drivers' outcomes still say what changed.
    /// </summary>
    /// <param name="links">Where the MTU report reads devices from; <paramref name="kernel"/>'s rtnetlink by default, none without it.</param>
    public AgentEngine(
        Func<IReadOnlyDictionary<string, string>, AgentOptions> optionsFor,
        IAgentInputs inputs,
        IGatewayPublisher publisher,
        ITunnelBackend tunnel,
        PlanApplier applier,
        AgentMetrics metrics,
        ILogger? logger = null,
        TimeProvider? time = null,
        IGatewayEvents? events = null,
        NodeKernel? kernel = null,
        ILinkReader? links = null)
    {
        _optionsFor = optionsFor ?? throw new ArgumentNullException(nameof(optionsFor));
        _inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _tunnel = tunnel ?? throw new ArgumentNullException(nameof(tunnel));
        _applier = applier ?? throw new ArgumentNullException(nameof(applier));
        Metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _tunnelMetrics = new TunnelMetrics(metrics.Registry);
        _tunnelMetrics.Encrypted.WithLabels(tunnel.Profile.Name).Set(tunnel.Profile.Encrypts ? 1 : 0);
        _kernel = kernel;
        _events = events ?? NoGatewayEvents.Instance;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _mtu = new MtuObserver(links ?? kernel?.Netlink, _tunnel.InterfaceName, _logger);
        _inputs.Changed += OnInputsChanged;
    }

    public AgentMetrics Metrics { get; }

    /// <summary>Plans with the data plane's serving choices from now on (call before <see cref="RunAsync"/>).</summary>
    public void UseHealth(IHealthChoices health)
    {
        ArgumentNullException.ThrowIfNull(health);
        _health = health;
        health.Changed += Wake;
    }

    /// <summary>After each pass, with the Gateways it planned from (NAT discovery follows roles through it).</summary>
    public event Action<IReadOnlyList<Raven.Api.V1Beta1.Gateway>>? Planned;

    public TunnelMetrics TunnelMetrics => _tunnelMetrics;

    /// <summary>The backend's connections as last read (every few seconds).</summary>
    public IReadOnlyList<TunnelConnection> Connections => _connections;

    public ApplyReport? LastReport => _lastReport;

    /// <summary>
    /// Planned and kernel MTUs as last read (after every pass, and every <see cref="MtuObserveEvery"/> between them);
    /// null before the first pass or without a kernel to read.
    /// </summary>
    public MtuReport? Mtu => _mtu.Report;

    /// <summary>Null when ready; see <see cref="AgentReadiness"/>.</summary>
    public string? NotReadyReason()
    {
        var report = _lastReport;
        lock (_peerSince)
        {
            // A punched peer beside the relay is an attempt, not a dependency: the relay carries its domain.
            var trying = report?.Plan.Paths.Where(p => p.Punch is PunchStage.Relayed or PunchStage.Trial).Select(p => p.Gateway).ToHashSet(StringComparer.Ordinal) ?? [];
            return AgentReadiness.NotReadyReason(report, [.. _connections.Where(c => !trying.Contains(c.Gateway))], _peerSince, _time.GetUtcNow(), _tunnel.Profile.Name);
        }
    }

    /// <summary>Applies on every change and every <see cref="AgentOptions.SyncPeriod"/> until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!_tunnel.Profile.Encrypts)
        {
            _logger.LogWarning("the {Backend} tunnel backend does not encrypt: traffic between gateways is NOT encrypted; use it only on a trusted underlay",
                _tunnel.Profile.Name);
        }

        await _inputs.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        var retry = new Backoff(TimeSpan.FromSeconds(1), MaxRetryDelay);
        var nextApply = _time.GetUtcNow();
        var nextStats = _time.GetUtcNow();
        var nextMtu = _time.GetUtcNow() + MtuObserveEvery;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var wait = Min(Min(nextApply, nextStats), nextMtu) - now;
            if (wait > TimeSpan.Zero && await WaitForSignalAsync(wait, cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(Debounce, _time, cancellationToken).ConfigureAwait(false);
                _signal.Reader.TryRead(out _);
                nextApply = _time.GetUtcNow();
            }

            if (_time.GetUtcNow() >= nextApply)
            {
                // The pass reads the current inputs, so a change signalled before it starts is already covered; only
                // changes that arrive while it runs should cause another pass.
                while (_signal.Reader.TryRead(out _))
                {
                }

                var report = await ApplyOnceAsync(cancellationToken).ConfigureAwait(false);
                if (report.Succeeded)
                {
                    retry.Reset();
                    nextApply = _time.GetUtcNow() + _optionsFor(_inputs.Current.AgentConfig).EffectiveSyncPeriod;
                }
                else
                {
                    nextApply = _time.GetUtcNow() + retry.Next();
                }

                nextStats = _time.GetUtcNow();
            }

            if (_time.GetUtcNow() >= nextStats)
            {
                await RefreshConnectionsAsync(cancellationToken).ConfigureAwait(false);
                nextStats = _time.GetUtcNow() + StatsInterval;
            }

            if (_time.GetUtcNow() >= nextMtu)
            {
                await RefreshMtuAsync(cancellationToken).ConfigureAwait(false);
                nextMtu = _time.GetUtcNow() + MtuObserveEvery;
            }
        }
    }

    /// <summary>One full pass: plan, publish, apply every driver. Never throws except on cancellation.</summary>
    public async Task<ApplyReport> ApplyOnceAsync(CancellationToken cancellationToken)
    {
        await _applyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var report = await ApplyCoreAsync(cancellationToken).ConfigureAwait(false);
            _lastReport = report;
            Metrics.RecordApply(report);
            foreach (var error in report.Errors)
            {
                _logger.LogError("apply: {Error}", error);
            }

            return report;
        }
        finally
        {
            _applyGate.Release();
        }
    }

    /// <summary>Stops without touching the data plane: the next agent adopts it.</summary>
    public Task DetachAsync() => _tunnel.DetachAsync();

    public async ValueTask DisposeAsync()
    {
        _inputs.Changed -= OnInputsChanged;
        if (_health is not null)
        {
            _health.Changed -= Wake;
        }
        await _tunnel.DetachAsync().ConfigureAwait(false);
        _applyGate.Dispose();
    }

    private async Task<ApplyReport> ApplyCoreAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        var netlinkBefore = _kernel?.Netlink.ChangeRequests ?? 0;
        var restoresBefore = _kernel?.Netfilter.RestoreRuns ?? 0;
        var sysctlBefore = _kernel?.Sysctl.Writes ?? 0;
        var snapshot = LastKnownGood(_inputs.Current, _inputs.StaleReason);
        AgentOptions options;
        try
        {
            options = _optionsFor(snapshot.AgentConfig);
        }
        catch (AgentOptionsException ex)
        {
            errors.Add(ex.Message);
            return new ApplyReport(NetworkPlan.Empty(PlanRole.Disabled, "", null, []), 0, 0, 0, false, 0, errors, clock.Elapsed);
        }

        if (TunnelBackends.Find(options.VpnDriver)?.Name is { } selected && selected != _tunnel.Profile.Name)
        {
            errors.Add($"tunnel: vpn-driver selects {selected} but this agent runs {_tunnel.Profile.Name}; restart the agent to switch");
        }

        var local = GatewayEndpoints.LocalGateway(snapshot.Gateways, options.NodeName);
        IReadOnlyList<Cidr> connected = [];
        if (_kernel is { } kernel)
        {
            await PlanApplier.Step(errors, "read interface addresses", () =>
            {
                connected = ConnectedPrefixes.Read(kernel.Netlink, [KernelNames.VxlanDevice, _tunnel.InterfaceName]);
            }).ConfigureAwait(false);
        }

        var plannerOptions = options.ToPlannerOptions(PlannerOptions.L3EnabledIn(local)) with
        {
            Tunnel = _tunnel.Profile,
            TunnelDevice = _tunnel.InterfaceName,
        };
        var plan = _planner.Plan(snapshot.Gateways, new LocalNode(options.NodeName, options.NodeIp)
        {
            ConnectedPrefixes = connected,
            ServingGateways = _health?.ServingGateways ?? new Dictionary<string, string>(StringComparer.Ordinal),
            PunchedPaths = _health?.PunchedPaths ?? new Dictionary<string, PunchStage>(StringComparer.Ordinal),
        }, plannerOptions);

        await PlanApplier.Step(errors, "publish", () => PublishAsync(snapshot, options, cancellationToken)).ConfigureAwait(false);
        var outcomes = await _applier.ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
        errors.AddRange(outcomes.Where(o => o.Failed).Select(o => $"{o.Driver}: {o.Error}"));
        plan = WithSkippedPeers(plan, outcomes);
        _health?.Observe(snapshot.Gateways, plan);
        Planned?.Invoke(snapshot.Gateways);
        var appeared = LogDiagnosticChanges(plan);
        await WarnSkippedPeersAsync(plan, appeared, snapshot, cancellationToken).ConfigureAwait(false);
        _tunnelMetrics.SkippedPeers.WithLabels(_tunnel.Profile.Name).Set(plan.Role == PlanRole.TunnelGateway ? plan.SkippedPeers : 0);
        TrackPeers(plan);
        // After the drivers, so raven0 and the tunnel device show the MTUs this pass set.
        _mtu.Applied(plan, plannerOptions.UnderlayMtu, options.NodeIp);
        return new ApplyReport(plan, (_kernel?.Netlink.ChangeRequests ?? 0) - netlinkBefore, (_kernel?.Netfilter.RestoreRuns ?? 0) - restoresBefore,
            (_kernel?.Sysctl.Writes ?? 0) - sysctlBefore, outcomes.Any(o => o.Driver == "tunnel" && o.Status == DriverStatus.Changed),
            outcomes.Sum(o => o.RoutesProgrammed), errors, clock.Elapsed)
        {
            Outcomes = outcomes,
        };
    }

    /// <summary>Peers the backend itself refused join the plan's diagnostics, so they are reported like the planner's.</summary>
    private static NetworkPlan WithSkippedPeers(NetworkPlan plan, IReadOnlyList<DriverOutcome> outcomes)
    {
        var skipped = outcomes.SelectMany(o => o.SkippedPeers)
            .Select(p => new Diagnostic($"gateway/{p.Gateway}", $"{p.Reason}; skipped as a tunnel peer", DiagnosticKind.SkippedPeer))
            .ToList();
        return skipped.Count == 0 ? plan : plan with { Diagnostics = Diagnostic.Sorted(plan.Diagnostics.Concat(skipped)) };
    }

    /// <summary>
    /// A Warning event on each Gateway whose peer was newly skipped, from the tunnel gateway only (every node plans the
    /// same conflicts; one event per change is enough).
    /// </summary>
    private async Task WarnSkippedPeersAsync(NetworkPlan plan, IReadOnlyList<Diagnostic> appeared, AgentSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (plan.Role != PlanRole.TunnelGateway)
        {
            return;
        }

        foreach (var diagnostic in appeared.Where(d => d.Kind == DiagnosticKind.SkippedPeer))
        {
            var name = diagnostic.Subject.StartsWith("gateway/", StringComparison.Ordinal) ? diagnostic.Subject["gateway/".Length..] : null;
            if (snapshot.Gateways.FirstOrDefault(g => g.Name == name) is { } gateway)
            {
                await _events.WarnAsync(gateway, "TunnelPeerSkipped", $"{plan.NodeName}: {diagnostic.Message}", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Each diagnostic once when it appears and once when it is gone; skipped and excluded inputs as warnings.</summary>
    private IReadOnlyList<Diagnostic> LogDiagnosticChanges(NetworkPlan plan)
    {
        var (appeared, resolved) = _diagnostics.Update(plan.Diagnostics);
        foreach (var diagnostic in appeared)
        {
            var level = diagnostic.Kind == DiagnosticKind.Notice ? LogLevel.Information : LogLevel.Warning;
            _logger.Log(level, "plan: {Diagnostic}", diagnostic);
        }

        foreach (var diagnostic in resolved)
        {
            _logger.LogInformation("plan: no longer applies: {Diagnostic}", diagnostic);
        }

        return appeared;
    }

    /// <summary>
    /// Fresh inputs are used and remembered; stale ones (a watch that lost the API server, a cache that may be
    /// empty or partial) are replaced by the last fresh snapshot, so nothing that works is removed on their word.
    /// </summary>
    private AgentSnapshot LastKnownGood(AgentSnapshot current, string? staleReason)
    {
        Metrics.InputsStale.Set(staleReason is null ? 0 : 1);
        if (staleReason is null)
        {
            if (_staleLogged is not null)
            {
                _logger.LogInformation("inputs are fresh again; planning from the API server's current objects");
                _staleLogged = null;
            }

            _lastFresh = current;
            return current;
        }

        if (_staleLogged is null)
        {
            _staleLogged = staleReason;
            _logger.LogWarning("inputs may be stale ({Reason}); keeping the data plane of the last fresh snapshot", staleReason);
        }

        return _lastFresh ?? current;
    }

    /// <summary>The backend's published config (WireGuard: the public key) goes into every tunnel endpoint of this node (failover is faster when it is already there).</summary>
    private async Task PublishAsync(AgentSnapshot snapshot, AgentOptions options, CancellationToken cancellationToken)
    {
        foreach (var gateway in snapshot.Gateways)
        {
            if (GatewayEndpoints.TunnelEndpoint(gateway.Spec?.Endpoints, options.NodeName) is not { } endpoint)
            {
                continue;
            }

            // The driver's name too, so the controller can report mixed drivers and peers can skip what they cannot talk to.
            var config = new Dictionary<string, string>(_tunnel.PublishedConfig(), StringComparer.Ordinal) { [WellKnown.VpnDriverConfigKey] = _tunnel.Profile.Name };
            if (GatewayEndpoints.NeedsConfig(endpoint, config) &&
                await _publisher.PublishConfigAsync(gateway.Name, options.NodeName, config, cancellationToken).ConfigureAwait(false))
            {
                _logger.LogInformation("published {Backend} tunnel config ({Keys}) on gateway {Gateway}", _tunnel.Profile.Name,
                    string.Join(", ", config.Keys.Order(StringComparer.Ordinal)), gateway.Name);
            }

            if (PublicIpResolver.ToPublish(gateway, options.NodeName, snapshot.TunnelServices, options.PublicIp) is { } ip &&
                await _publisher.PublishPublicIpAsync(gateway.Name, options.NodeName, ip.ToString(), cancellationToken).ConfigureAwait(false))
            {
                _logger.LogInformation("published public IP {Ip} on gateway {Gateway}", ip, gateway.Name);
            }
        }
    }

    private void TrackPeers(NetworkPlan plan)
    {
        var now = _time.GetUtcNow();
        var gateways = (plan.Tunnel?.Peers ?? ValueList<TunnelPeer>.Empty).Select(p => p.GatewayName).ToHashSet(StringComparer.Ordinal);
        lock (_peerSince)
        {
            foreach (var gone in _peerSince.Keys.Where(k => !gateways.Contains(k)).ToList())
            {
                _peerSince.Remove(gone);
            }

            foreach (var gateway in gateways)
            {
                _peerSince.TryAdd(gateway, now);
            }
        }
    }

    private async Task RefreshMtuAsync(CancellationToken cancellationToken)
    {
        await _applyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _mtu.Observe();
        }
        finally
        {
            _applyGate.Release();
        }
    }

    private async Task RefreshConnectionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connections = await _tunnel.ConnectionsAsync(cancellationToken).ConfigureAwait(false);
            _connections = connections;
            _tunnelMetrics.RecordConnections(_tunnel.Profile.Name, connections);
            if (_tunnel.Profile.Name == WireGuardProfile.BackendName)
            {
                // The WireGuard-specific series stay as extras, labelled by gateway as before.
                var peers = connections.Select(c => new VpnPeerStatus(c.Id, c.LastHandshake, c.RxBytes, c.TxBytes)).ToList();
                Metrics.RecordPeers(peers, connections.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Gateway, StringComparer.Ordinal), _time.GetUtcNow());
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "reading {Backend} connection statistics failed", _tunnel.Profile.Name);
        }
    }

    private async Task<bool> WaitForSignalAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        // The timeout runs on the engine's clock, so tests drive the loop with a fake one.
        using var deadline = new CancellationTokenSource(wait, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await _signal.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void OnInputsChanged(object? sender, EventArgs e) => Wake();

    /// <summary>Inputs or the probes' choices changed: run a pass soon.</summary>
    private void Wake() => _signal.Writer.TryWrite(true);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
