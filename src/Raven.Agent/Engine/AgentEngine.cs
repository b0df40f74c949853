using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Kube.Resilience;

namespace Raven.Agent.Engine;

/// <summary>
/// The L3 loop of one node: on every input change (debounced) or resync, plan and let each driver apply its slice,
/// publishing this node's public key / IP when they are missing. Errors are logged, counted and retried with
/// backoff; nothing here ends the loop except cancellation.
/// </summary>
public sealed class AgentEngine : IAsyncDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly Func<IReadOnlyDictionary<string, string>, AgentOptions> _optionsFor;
    private readonly IAgentInputs _inputs;
    private readonly IGatewayPublisher _publisher;
    private readonly NodeKernel _kernel;
    private readonly IVpnDriver _vpn;
    private readonly PlanApplier _applier;
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
    private volatile IReadOnlyList<VpnPeerStatus> _peers = [];

    /// <param name="optionsFor">Effective options for the current raven-agent-config data (flags win).</param>
    public AgentEngine(
        Func<IReadOnlyDictionary<string, string>, AgentOptions> optionsFor,
        IAgentInputs inputs,
        IGatewayPublisher publisher,
        NodeKernel kernel,
        IVpnDriver vpn,
        AgentMetrics metrics,
        ILogger? logger = null,
        TimeProvider? time = null)
    {
        _optionsFor = optionsFor ?? throw new ArgumentNullException(nameof(optionsFor));
        _inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        _vpn = vpn ?? throw new ArgumentNullException(nameof(vpn));
        Metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _applier = new PlanApplier(kernel, vpn);
        _inputs.Changed += OnInputsChanged;
    }

    public AgentMetrics Metrics { get; }

    public ApplyReport? LastReport => _lastReport;

    /// <summary>Null when ready; see <see cref="AgentReadiness"/>.</summary>
    public string? NotReadyReason()
    {
        var report = _lastReport;
        var names = PeerNames(report?.Plan);
        lock (_peerSince)
        {
            return AgentReadiness.NotReadyReason(report, _peers, _peerSince, names, _time.GetUtcNow());
        }
    }

    /// <summary>Applies on every change and every <see cref="AgentOptions.SyncPeriod"/> until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _inputs.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        var retry = new Backoff(TimeSpan.FromSeconds(1), MaxRetryDelay);
        var nextApply = _time.GetUtcNow();
        var nextStats = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var wait = Min(nextApply, nextStats) - now;
            if (wait > TimeSpan.Zero && await WaitForSignalAsync(wait, cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(Debounce, _time, cancellationToken).ConfigureAwait(false);
                _signal.Reader.TryRead(out _);
                nextApply = _time.GetUtcNow();
            }

            if (_time.GetUtcNow() >= nextApply)
            {
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
                await RefreshPeersAsync(cancellationToken).ConfigureAwait(false);
                nextStats = _time.GetUtcNow() + StatsInterval;
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
    public Task DetachAsync() => _vpn.DetachAsync();

    public async ValueTask DisposeAsync()
    {
        _inputs.Changed -= OnInputsChanged;
        await _vpn.DetachAsync().ConfigureAwait(false);
        _applyGate.Dispose();
    }

    private async Task<ApplyReport> ApplyCoreAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        var netlinkBefore = _kernel.Netlink.ChangeRequests;
        var restoresBefore = _kernel.Netfilter.RestoreRuns;
        var sysctlBefore = _kernel.Sysctl.Writes;
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

        var local = GatewayEndpoints.LocalGateway(snapshot.Gateways, options.NodeName);
        IReadOnlyList<Raven.Api.Net.Cidr> connected = [];
        await PlanApplier.Step(errors, "read interface addresses", () =>
        {
            connected = ConnectedPrefixes.Read(_kernel.Netlink, [KernelNames.VxlanDevice, options.WireGuardInterface]);
        }).ConfigureAwait(false);
        var plan = _planner.Plan(snapshot.Gateways, new LocalNode(options.NodeName, options.NodeIp) { ConnectedPrefixes = connected },
            options.ToPlannerOptions(PlannerOptions.L3EnabledIn(local)));
        LogDiagnosticChanges(plan);

        await PlanApplier.Step(errors, "publish", () => PublishAsync(snapshot, options, cancellationToken)).ConfigureAwait(false);
        var results = await _applier.ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
        errors.AddRange(results.Errors);
        TrackPeers(plan);
        return new ApplyReport(plan, _kernel.Netlink.ChangeRequests - netlinkBefore, _kernel.Netfilter.RestoreRuns - restoresBefore,
            _kernel.Sysctl.Writes - sysctlBefore, results.VpnChanged, results.RoutesProgrammed, errors, clock.Elapsed);
    }

    /// <summary>Each diagnostic once when it appears and once when it is gone; skipped and excluded inputs as warnings.</summary>
    private void LogDiagnosticChanges(NetworkPlan plan)
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

    /// <summary>The public key goes into every tunnel endpoint of this node (failover is faster when it is already there).</summary>
    private async Task PublishAsync(AgentSnapshot snapshot, AgentOptions options, CancellationToken cancellationToken)
    {
        foreach (var gateway in snapshot.Gateways)
        {
            if (GatewayEndpoints.TunnelEndpoint(gateway.Spec?.Endpoints, options.NodeName) is not { } endpoint)
            {
                continue;
            }

            var key = _vpn.PublicKey();
            if (endpoint.Config?.GetValueOrDefault(GatewayEndpoints.PublicKeyConfigKey) != key &&
                await _publisher.PublishPublicKeyAsync(gateway.Name, options.NodeName, key, cancellationToken).ConfigureAwait(false))
            {
                _logger.LogInformation("published WireGuard public key on gateway {Gateway}", gateway.Name);
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
        var keys = (plan.WireGuard?.Peers ?? ValueList<WireGuardPeer>.Empty).Select(p => p.PublicKey).ToHashSet(StringComparer.Ordinal);
        lock (_peerSince)
        {
            foreach (var gone in _peerSince.Keys.Where(k => !keys.Contains(k)).ToList())
            {
                _peerSince.Remove(gone);
            }

            foreach (var key in keys)
            {
                _peerSince.TryAdd(key, now);
            }
        }
    }

    private async Task RefreshPeersAsync(CancellationToken cancellationToken)
    {
        try
        {
            _peers = await _vpn.PeersAsync(cancellationToken).ConfigureAwait(false);
            Metrics.RecordPeers(_peers, PeerNames(_lastReport?.Plan), _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "reading WireGuard peer statistics failed");
        }
    }

    private static Dictionary<string, string> PeerNames(NetworkPlan? plan) =>
        (plan?.WireGuard?.Peers ?? ValueList<WireGuardPeer>.Empty).GroupBy(p => p.PublicKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().GatewayName, StringComparer.Ordinal);

    private async Task<bool> WaitForSignalAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            return await _signal.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void OnInputsChanged(object? sender, EventArgs e) => _signal.Writer.TryWrite(true);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
