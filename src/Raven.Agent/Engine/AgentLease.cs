using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Agent.Engine;

/// <summary>
/// Liveness in the API: kube-system Lease raven-agent-NODE held by the node, renewed every third of its duration.
/// While renewing fails (API server down) it retries every <see cref="RetryInterval"/> at most, so the lease is
/// renewed within about a second of the API server answering again, before the controller judges it; the first
/// failure of a streak and the recovery are logged, the retries in between only at debug level.
/// The lease also carries the data plane's decisions (<see cref="DataPlaneReport.Annotation"/>): <see cref="Publish"/>
/// renews at once, at most every <see cref="PublishGap"/>, so the controller learns of a take-over within a round trip.
/// </summary>
public sealed class AgentLease(KubeClient client, string nodeName, TimeSpan duration, ILogger? logger = null)
{
    /// <summary>The longest wait between attempts while renewing fails.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>The shortest time between two renewals that <see cref="Publish"/> asks for (bounds the write rate of a flapping report).</summary>
    public static readonly TimeSpan PublishGap = TimeSpan.FromMilliseconds(200);

    private readonly SemaphoreSlim _poke = new(0, 1);
    private volatile string? _report;
    private volatile string? _connections;

    private readonly ICoordinationV1Operations _leases = (client ?? throw new ArgumentNullException(nameof(client))).Api.CoordinationV1;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private V1Lease? _last;

    public string Name { get; } = $"raven-agent-{nodeName}";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? failingSince = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = duration / 3;
            try
            {
                await RenewAsync(cancellationToken).ConfigureAwait(false);
                if (failingSince is { } since)
                {
                    _logger.LogInformation("renewed lease {Lease} again after {Seconds:0.0}s of failures", Name, (client.Time.GetUtcNow() - since).TotalSeconds);
                    failingSince = null;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (failingSince is null)
                {
                    failingSince = client.Time.GetUtcNow();
                    _logger.LogWarning(ex, "renewing lease {Lease} failed; retrying every {Retry:0.#}s", Name, Min(wait, RetryInterval).TotalSeconds);
                }
                else
                {
                    _logger.LogDebug(ex, "renewing lease {Lease} failed again", Name);
                }

                wait = Min(wait, RetryInterval);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var started = client.Time.GetTimestamp();
                if (await _poke.WaitAsync(wait, cancellationToken).ConfigureAwait(false) && client.Time.GetElapsedTime(started) < PublishGap)
                {
                    await Task.Delay(PublishGap - client.Time.GetElapsedTime(started), client.Time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The data-plane report to carry from now on (null: none); renews at once when it changed. Safe from any thread.
    /// </summary>
    public void Publish(string? report)
    {
        if (report == _report)
        {
            return;
        }

        _report = report;
        Poke();
    }

    /// <summary>
    /// The connection report to carry from now on (<see cref="ConnectionReport.Annotation"/>; null: none). With
    /// <paramref name="renewNow"/> the lease renews at once (a discrete change); without, the next regular renewal
    /// carries it (numbers only), so refreshing counters adds no write. Safe from any thread.
    /// </summary>
    public void PublishConnections(string? report, bool renewNow)
    {
        if (report == _connections)
        {
            return;
        }

        _connections = report;
        if (renewNow)
        {
            Poke();
        }
    }

    private void Poke()
    {
        try
        {
            _poke.Release();
        }
        catch (SemaphoreFullException)
        {
            // A renewal is already asked for; it reads the newest reports.
        }
    }

    private static void SetAnnotation(V1ObjectMeta metadata, string key, string? text)
    {
        if (text is null)
        {
            metadata.Annotations?.Remove(key);
            return;
        }

        metadata.Annotations ??= new Dictionary<string, string>();
        metadata.Annotations[key] = text;
    }

    private Dictionary<string, string>? Annotations()
    {
        var annotations = new Dictionary<string, string>();
        if (_report is { } report)
        {
            annotations[DataPlaneReport.Annotation] = report;
        }

        if (_connections is { } connections)
        {
            annotations[ConnectionReport.Annotation] = connections;
        }

        return annotations.Count == 0 ? null : annotations;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// A last renewal on a clean stop, valid for max(<paramref name="hold"/>, the lease's duration): the data plane
    /// stays and keeps forwarding, so the node stays its gateway's endpoint until its successor renews (a restart) or
    /// the hold runs out (the node is gone). Bounded by <paramref name="cancellationToken"/>; failing is only logged.
    /// </summary>
    public async Task HoldAsync(TimeSpan hold, CancellationToken cancellationToken)
    {
        if (hold <= TimeSpan.Zero)
        {
            return;
        }

        var held = hold > duration ? hold : duration;
        try
        {
            await RenewAsync(held, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("holding lease {Lease} for {Seconds:0}s for the next agent", Name, held.TotalSeconds);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or HttpOperationException or IOException)
        {
            _logger.LogWarning("could not hold lease {Lease} on stop ({Error}): it runs out {Seconds:0}s after its last renewal", Name, ex.Message, duration.TotalSeconds);
        }
    }

    public Task<V1Lease> RenewAsync(CancellationToken cancellationToken) => RenewAsync(duration, cancellationToken);

    private async Task<V1Lease> RenewAsync(TimeSpan validFor, CancellationToken cancellationToken)
    {
        var now = client.Time.GetUtcNow().UtcDateTime;
        var seconds = (int)Math.Ceiling(validFor.TotalSeconds);
        // The last lease this agent wrote saves the read on the next write (one round trip, which the stop's hold
        // needs); a conflict (someone else wrote it) falls back to reading it.
        if (Interlocked.Exchange(ref _last, null) is { } last)
        {
            try
            {
                return Remember(await _leases.ReplaceNamespacedLeaseAsync(Renewed(Copy(last), now, seconds), Name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken)
                    .ConfigureAwait(false));
            }
            catch (HttpOperationException e) when (e.IsConflict() || e.IsNotFound())
            {
                // read it below
            }
        }

        V1Lease lease;
        try
        {
            lease = await _leases.ReadNamespacedLeaseAsync(Name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return Remember(await _leases.CreateNamespacedLeaseAsync(new V1Lease
            {
                Metadata = new() { Name = Name, NamespaceProperty = WellKnown.WorkingNamespace, Annotations = Annotations() },
                Spec = new() { HolderIdentity = nodeName, LeaseDurationSeconds = seconds, AcquireTime = now, RenewTime = now },
            }, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        return Remember(await _leases.ReplaceNamespacedLeaseAsync(Renewed(lease, now, seconds), Name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken)
            .ConfigureAwait(false));
    }

    /// <summary>A copy to change: the lease written last was also returned to a caller.</summary>
    private static V1Lease Copy(V1Lease lease) => KubernetesJson.Deserialize<V1Lease>(KubernetesJson.Serialize(lease));

    private V1Lease Remember(V1Lease written)
    {
        Volatile.Write(ref _last, written);
        return written;
    }

    private V1Lease Renewed(V1Lease lease, DateTime now, int seconds)
    {
        lease.Spec ??= new V1LeaseSpec();
        if (lease.Spec.HolderIdentity != nodeName)
        {
            lease.Spec.AcquireTime = now;
            lease.Spec.LeaseTransitions = (lease.Spec.LeaseTransitions ?? 0) + 1;
        }
        else if (lease.Spec.RenewTime is { } renewed && lease.Spec.LeaseDurationSeconds is { } valid)
        {
            // A renewal never brings this node's unexpired expiry forward: the hold its previous agent wrote on stop
            // stays in force however early (and, while this agent starts on a busy node, however irregularly) it renews.
            var held = (int)Math.Ceiling((renewed.AsUtc().AddSeconds(valid) - new DateTimeOffset(now, TimeSpan.Zero)).TotalSeconds);
            seconds = Math.Max(seconds, held);
        }

        SetAnnotation(lease.Metadata ??= new V1ObjectMeta(), DataPlaneReport.Annotation, _report);
        SetAnnotation(lease.Metadata, ConnectionReport.Annotation, _connections);
        lease.Spec.HolderIdentity = nodeName;
        lease.Spec.LeaseDurationSeconds = seconds;
        lease.Spec.RenewTime = now;
        return lease;
    }
}
