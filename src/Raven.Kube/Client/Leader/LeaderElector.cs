using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Api.Meta;
using Raven.Kube.Models;

namespace Raven.Kube.Client.Leader;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics: a lease is taken over when its
/// holder has not changed it for leaseDurationSeconds as observed on our own clock (so clock skew between
/// candidates does not matter), renewed every RetryPeriod, given up when renewals fail for RenewDeadline, and
/// released on stop by clearing holderIdentity.
/// </summary>
public sealed class LeaderElector
{
    public const double JitterFactor = 1.2;

    private readonly ResourceClient<Lease> _leases;
    private readonly LeaderElectionConfig _config;
    private readonly LeaderCallbacks _callbacks;
    private readonly ILogger _logger;
    private LeaseSpec? _observed;
    private DateTimeOffset _observedTime;
    private string? _lastReportedLeader;

    public LeaderElector(ResourceClient<Lease> leases, LeaderElectionConfig config, LeaderCallbacks? callbacks = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _leases = leases;
        _config = config;
        _callbacks = callbacks ?? new LeaderCallbacks();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>True while this candidate holds the lease as far as it last observed.</summary>
    public bool IsLeader => _observed?.HolderIdentity == _config.Identity && !string.IsNullOrEmpty(_config.Identity);

    /// <summary>The holder in the last observed lease record, if any.</summary>
    public string? ObservedLeader => string.IsNullOrEmpty(_observed?.HolderIdentity) ? null : _observed.HolderIdentity;

    /// <summary>
    /// Campaigns until elected, leads until leadership is lost or <paramref name="cancellationToken"/> fires, then
    /// returns. Call again to stand for election again.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = _callbacks.OnStartedLeading is { } start ? Task.Run(() => start(leading.Token), CancellationToken.None) : Task.CompletedTask;
        await RenewUntilLostAsync(cancellationToken).ConfigureAwait(false);
        await leading.CancelAsync().ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested && _config.ReleaseOnCancel)
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _observed = IsLeader ? null : _observed;
        _callbacks.OnStoppedLeading?.Invoke();
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LeaderLog.WorkEnded(_logger, _config.Identity, e);
        }
    }

    /// <summary>One attempt to take or keep the lease; true if we hold it afterwards. Never throws for API errors.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await TryAcquireOrRenewCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            LeaderLog.AttemptFailed(_logger, _config.Identity, e.Message);
            return false;
        }
    }

    /// <summary>Clears holderIdentity if we hold the lease, so another candidate can take it at once.</summary>
    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await _leases.TryGetAsync(_config.LeaseName, _config.LeaseNamespace, cancellationToken).ConfigureAwait(false);
            if (lease is null || lease.Spec.HolderIdentity != _config.Identity)
            {
                return false;
            }

            var now = _config.Time.GetUtcNow();
            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = now;
            lease.Spec.AcquireTime = now;
            var updated = await _leases.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
            Observe(updated.Spec, now);
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            LeaderLog.AttemptFailed(_logger, _config.Identity, e.Message);
            return false;
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            bool acquired;
            try
            {
                acquired = await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (acquired)
            {
                LeaderLog.Acquired(_logger, _config.Identity, _config.LeaseNamespace, _config.LeaseName);
                return true;
            }

            var wait = _config.RetryPeriod * (1 + (JitterFactor * Random.Shared.NextDouble()));
            if (!await DelayAsync(wait, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return false;
    }

    private async Task RenewUntilLostAsync(CancellationToken cancellationToken)
    {
        var lastRenew = _config.Time.GetUtcNow();
        while (await DelayAsync(_config.RetryPeriod, cancellationToken).ConfigureAwait(false))
        {
            var left = _config.RenewDeadline - (_config.Time.GetUtcNow() - lastRenew);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            bool renewed;
            try
            {
                renewed = await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                renewed = false;
            }

            if (renewed)
            {
                lastRenew = _config.Time.GetUtcNow();
                continue;
            }

            if (ObservedLeader is { } other && other != _config.Identity)
            {
                LeaderLog.Lost(_logger, _config.Identity, $"lease taken by {other}");
                return;
            }

            if (_config.Time.GetUtcNow() - lastRenew >= _config.RenewDeadline)
            {
                LeaderLog.Lost(_logger, _config.Identity, $"no successful renewal within {_config.RenewDeadline}");
                return;
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewCoreAsync(CancellationToken cancellationToken)
    {
        var now = _config.Time.GetUtcNow();
        var lease = await _leases.TryGetAsync(_config.LeaseName, _config.LeaseNamespace, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            var created = new Lease
            {
                Metadata = new ObjectMeta { Name = _config.LeaseName, Namespace = _config.LeaseNamespace },
                Spec = NewRecord(now, now, 0),
            };
            try
            {
                created = await _leases.CreateAsync(created, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeAlreadyExistsException)
            {
                return false;
            }

            Observe(created.Spec, now);
            return true;
        }

        if (!SameRecord(lease.Spec, _observed))
        {
            Observe(lease.Spec, now);
        }

        var holder = lease.Spec.HolderIdentity;
        var weHold = holder == _config.Identity;
        if (!string.IsNullOrEmpty(holder) && !weHold && !ExpiredAt(now))
        {
            return false;
        }

        var transitions = lease.Spec.LeaseTransitions ?? 0;
        lease.Spec = weHold
            ? NewRecord(lease.Spec.AcquireTime ?? now, now, transitions, lease.Spec.Extra)
            : NewRecord(now, now, transitions + 1, lease.Spec.Extra);
        try
        {
            var updated = await _leases.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
            Observe(updated.Spec, now);
            return true;
        }
        catch (KubeConflictException)
        {
            return false;
        }
    }

    private bool ExpiredAt(DateTimeOffset now)
    {
        var seconds = _observed?.LeaseDurationSeconds ?? 0;
        return _observedTime + TimeSpan.FromSeconds(seconds) <= now;
    }

    private LeaseSpec NewRecord(DateTimeOffset acquired, DateTimeOffset renewed, int transitions, Dictionary<string, System.Text.Json.JsonElement>? extra = null) => new()
    {
        HolderIdentity = _config.Identity,
        LeaseDurationSeconds = (int)Math.Ceiling(_config.LeaseDuration.TotalSeconds),
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
        Extra = extra,
    };

    private void Observe(LeaseSpec record, DateTimeOffset now)
    {
        _observed = record;
        _observedTime = now;
        var holder = ObservedLeader;
        if (holder is not null && holder != _lastReportedLeader)
        {
            _lastReportedLeader = holder;
            _callbacks.OnNewLeader?.Invoke(holder);
        }
    }

    private static bool SameRecord(LeaseSpec a, LeaseSpec? b) =>
        b is not null
        && a.HolderIdentity == b.HolderIdentity
        && a.LeaseDurationSeconds == b.LeaseDurationSeconds
        && a.AcquireTime == b.AcquireTime
        && a.RenewTime == b.RenewTime
        && a.LeaseTransitions == b.LeaseTransitions;

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _config.Time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
