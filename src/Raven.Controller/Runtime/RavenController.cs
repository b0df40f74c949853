using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Raven.Api;
using Raven.Controller.Reconcilers;
using Raven.Controller.Services;
using Raven.Kube.Client;
using Raven.Kube.Client.Leader;
using Raven.Kube.Models;
using Raven.Kube.Observability;

namespace Raven.Controller.Runtime;

/// <summary>
/// The control plane: caches, one work queue, the reconcilers, leader election and a periodic full resync.
/// Only the leader writes; standbys keep warm caches so a hand-over starts reconciling at once.
/// </summary>
public sealed class RavenController
{
    private readonly KubeClient _client;
    private readonly ILoggerFactory _logs;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkQueue _queue;
    private readonly EventQueue _events;
    private readonly Dictionary<string, IReconciler> _reconcilers;
    private readonly KeyRetries _retries = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    public RavenController(KubeClient client, ControllerOptions options, ControllerMetrics metrics, ILoggerFactory logs, TimeProvider? time = null)
    {
        options.Validate();
        _client = client;
        _logs = logs;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logs.CreateLogger("raven.controller");
        Metrics = metrics;
        Cache = new ClusterCache(client, logs);
        _queue = new WorkQueue(_time);
        var writer = new ServiceWriter(client);
        _events = new EventQueue(new EventRecorder(client, "raven-controller"), _logger);
        var events = _events;
        Action<string> report = message => _logger.LogWarning("{Problem}", message);
        _reconcilers = new Dictionary<string, IReconciler>(StringComparer.Ordinal)
        {
            [KeyRouter.Pickup] = new GatewayPickupReconciler(Cache, client, events, metrics, _time, _logger),
            [KeyRouter.PublicService] = new PublicServiceReconciler(Cache, writer, report),
            [KeyRouter.InternalService] = new InternalServiceReconciler(Cache, writer, events, report),
            [KeyRouter.Dns] = new DnsReconciler(Cache, client),
            [KeyRouter.Csr] = new CsrApprovalReconciler(Cache, client, _time, _logger),
            [KeyRouter.Config] = new ConfigReconciler(Cache, client, events, logs.CreateLogger("raven.controller.config")),
        };
        Cache.Changed += (_, old, updated) =>
        {
            foreach (var key in KeyRouter.KeysFor(old, updated, GatewayNames, GatewayOfNode))
            {
                _queue.Add(key);
            }
        };
    }

    public ClusterCache Cache { get; }

    public ControllerMetrics Metrics { get; }

    public bool IsLeader { get; private set; }

    /// <summary>Null when ready (caches synced), else why not.</summary>
    public string? NotReadyReason => Cache.Gateways.HasSynced && Cache.Nodes.HasSynced ? null : "caches are not synced yet";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Started before the API server (or while it is down): wait for it here rather than fail.
        await ApiReachability.WaitUntilReachableAsync(_client, _logger, cancellationToken).ConfigureAwait(false);
        await Cache.DetectCalicoAsync(_client, _logs, cancellationToken).ConfigureAwait(false);
        var caches = Cache.RunAsync(cancellationToken);
        var events = _events.RunAsync(cancellationToken);
        await Cache.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("caches synced: {Gateways} gateways, {Nodes} nodes", Cache.Gateways.Store.Count, Cache.Nodes.Store.Count);
        if (!_options.LeaderElection)
        {
            await LeadAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var election = new LeaderElection(_client, new LeaderElectionOptions
            {
                LeaseName = _options.LeaderElectionLease,
                LeaseNamespace = WellKnown.WorkingNamespace,
                Identity = _options.Identity,
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
            }, new LeaderCallbacks(LeadAsync, () => IsLeader = false, leader => _logger.LogInformation("leader is {Leader}", leader)), _logger);
            await election.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        await caches.ConfigureAwait(false);
        await events.ConfigureAwait(false);
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        IsLeader = true;
        _logger.LogInformation("leading: reconciling every gateway");
        EnqueueAll();
        using var resync = _time.CreateTimer(_ => EnqueueAll(), null, _options.ResyncPeriod, _options.ResyncPeriod);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var key = await _queue.TakeAsync(cancellationToken).ConfigureAwait(false);
                await ProcessAsync(key, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // leadership lost or shutting down
        }
        finally
        {
            IsLeader = false;
        }
    }

    private async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !_reconcilers.TryGetValue(key[..slash], out var reconciler))
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            if (await reconciler.ReconcileAsync(key[(slash + 1)..], cancellationToken).ConfigureAwait(false) is { } again)
            {
                _queue.AddAfter(key, again);
            }

            _retries.Succeeded(key);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One bad object, a flaky API server or a bug in one reconciler must not stop the controller: every
            // failure counted in reconcile_errors_total is this one log line with its cause, then a per-key backoff.
            failed = true;
            var (attempt, delay) = _retries.Failed(key);
            if (LogExceptions.IsExpected(ex) || ex is System.Text.Json.JsonException)
            {
                _logger.LogWarning("{Controller} {Key} failed (attempt {Attempt}); retrying in {Delay:0.#}s: {Error}",
                    reconciler.Name, key, attempt, delay.TotalSeconds, LogExceptions.OneLine(ex));
            }
            else
            {
                _logger.LogError(ex, "{Controller} {Key} failed unexpectedly (attempt {Attempt}); retrying in {Delay:0.#}s",
                    reconciler.Name, key, attempt, delay.TotalSeconds);
            }

            _queue.AddAfter(key, delay);
        }
        finally
        {
            Metrics.ObserveReconcile(reconciler.Name, Stopwatch.GetElapsedTime(started), failed);
        }
    }

    private void EnqueueAll()
    {
        // Every election first: the data plane waits on them, not on the Services.
        foreach (var name in GatewayNames())
        {
            _queue.Add($"{KeyRouter.Pickup}/{name}");
        }

        foreach (var name in GatewayNames())
        {
            _queue.Add($"{KeyRouter.PublicService}/{name}");
        }

        // Public services of deleted gateways: their labels still name the gateway.
        foreach (var owner in Cache.Services.Store.List().Select(s => s.Metadata.Label(WellKnown.GatewayLabel)).OfType<string>())
        {
            _queue.Add($"{KeyRouter.PublicService}/{owner}");
        }

        _queue.Add($"{KeyRouter.InternalService}/{InternalServiceReconciler.Key}");
        _queue.Add($"{KeyRouter.Dns}/{DnsReconciler.Key}");
        _queue.Add($"{KeyRouter.Config}/{ConfigReconciler.Key}");
        foreach (var csr in Cache.Csrs.Store.List())
        {
            _queue.Add($"{KeyRouter.Csr}/{csr.Metadata.Name}");
        }
    }

    private IEnumerable<string> GatewayNames() => Cache.Gateways.Store.List().Select(g => g.Name);

    private string? GatewayOfNode(string node) => NodeFactsReader.GatewayOf(Cache.Nodes.Store.Get(null, node));
}
