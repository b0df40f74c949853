using k8s;
using k8s.LeaderElection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Raven.Kube.Client.Leader;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease by the official client's <see cref="LeaderElector"/> (client-go's
/// semantics: a lease is taken over when its holder has not renewed it for leaseDurationSeconds on our own clock,
/// renewed every RetryPeriod, given up when renewals fail for RenewDeadline), with what Raven adds on top: the
/// leader's work runs in the background with a token cancelled the moment leadership is lost; API failures while
/// campaigning are retried instead of ending the campaign; on stop the lease is released (holder cleared) so the next
/// candidate takes over at once; a lease without a holder counts as free (<see cref="FreeLeaseLock"/>).
/// </summary>
public sealed class LeaderElection
{
    private readonly KubeClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly LeaderCallbacks _callbacks;
    private readonly ILogger _logger;
    private readonly LeaderElector _elector;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _leading;
    private Task _work = Task.CompletedTask;

    public LeaderElection(KubeClient client, LeaderElectionOptions options, LeaderCallbacks? callbacks = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _callbacks = callbacks ?? new LeaderCallbacks();
        _logger = logger ?? NullLogger.Instance;
        var leaseLock = new FreeLeaseLock(client.Api, options.LeaseNamespace, options.LeaseName, options.Identity);
        _elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        _elector.OnStartedLeading += StartLeading;
        _elector.OnStoppedLeading += StopLeading;
        _elector.OnNewLeader += leader =>
        {
            if (!string.IsNullOrEmpty(leader))
            {
                _callbacks.OnNewLeader?.Invoke(leader);
            }
        };
        _elector.OnError += e => LeaderLog.AttemptFailed(_logger, options.Identity, KubeErrors.Describe(e));
    }

    /// <summary>True while this candidate holds the lease as far as it last observed.</summary>
    public bool IsLeader => _elector.IsLeader();

    /// <summary>The holder in the last observed lease record, if any.</summary>
    public string? ObservedLeader => string.IsNullOrEmpty(_elector.GetLeader()) ? null : _elector.GetLeader();

    /// <summary>
    /// Campaigns, leads, and campaigns again after losing the lease, until <paramref name="cancellationToken"/> fires;
    /// then stops the leader's work and releases the lease if it holds it.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _elector.RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException || e.IsApiError())
            {
                // The elector gives up its campaign on the first transport failure; the campaign goes on.
                LeaderLog.AttemptFailed(_logger, _options.Identity, KubeErrors.Describe(e));
                await DelayAsync(_options.RetryPeriod, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await AwaitWorkAsync().ConfigureAwait(false);
        }

        await AwaitWorkAsync().ConfigureAwait(false);
        if (_options.ReleaseOnCancel)
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Clears holderIdentity if this candidate holds the lease, so another one can take it at once.</summary>
    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RenewDeadline);
        try
        {
            var leases = _client.Api.CoordinationV1;
            var lease = await leases.ReadNamespacedLeaseAsync(_options.LeaseName, _options.LeaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != _options.Identity)
            {
                return false;
            }

            // client-go's release: no holder, a one-second duration, times of now.
            var now = DateTime.UtcNow;
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = now;
            lease.Spec.AcquireTime = now;
            await leases.ReplaceNamespacedLeaseAsync(lease, _options.LeaseName, _options.LeaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            LeaderLog.Released(_logger, _options.Identity, _options.LeaseNamespace, _options.LeaseName);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException || e.IsApiError())
        {
            LeaderLog.AttemptFailed(_logger, _options.Identity, KubeErrors.Describe(e));
            return false;
        }
    }

    private void StartLeading()
    {
        LeaderLog.Acquired(_logger, _options.Identity, _options.LeaseNamespace, _options.LeaseName);
        lock (_gate)
        {
            _leading = new CancellationTokenSource();
            var token = _leading.Token;
            _work = _callbacks.OnStartedLeading is { } start ? Task.Run(() => start(token), CancellationToken.None) : Task.CompletedTask;
        }
    }

    private void StopLeading()
    {
        CancellationTokenSource? leading;
        lock (_gate)
        {
            leading = _leading;
            _leading = null;
        }

        if (leading is null)
        {
            return;
        }

        LeaderLog.Lost(_logger, _options.Identity, "lease not renewed within the renew deadline, or the campaign stopped");
        leading.Cancel();
        leading.Dispose();
        _callbacks.OnStoppedLeading?.Invoke();
    }

    private async Task AwaitWorkAsync()
    {
        Task work;
        lock (_gate)
        {
            work = _work;
            _work = Task.CompletedTask;
        }

        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // leadership ended
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LeaderLog.WorkEnded(_logger, _options.Identity, e);
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
