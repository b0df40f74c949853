using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Api;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Agent.Engine;

/// <summary>
/// Liveness in the API: kube-system Lease raven-agent-NODE held by the node, renewed every third of its duration.
/// Failures are logged and retried at the next tick.
/// </summary>
public sealed class AgentLease(KubeClient client, string nodeName, TimeSpan duration, ILogger? logger = null)
{
    private readonly ResourceClient<Lease> _leases = (client ?? throw new ArgumentNullException(nameof(client))).Resource(KubeResources.Lease);
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string Name { get; } = $"raven-agent-{nodeName}";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RenewAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "renewing lease {Lease} failed", Name);
            }

            try
            {
                await Task.Delay(duration / 3, client.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<Lease> RenewAsync(CancellationToken cancellationToken)
    {
        var now = client.Time.GetUtcNow();
        var seconds = (int)Math.Ceiling(duration.TotalSeconds);
        var lease = await _leases.TryGetAsync(Name, WellKnown.WorkingNamespace, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return await _leases.CreateAsync(new Lease
            {
                Metadata = new() { Name = Name, Namespace = WellKnown.WorkingNamespace },
                Spec = new() { HolderIdentity = nodeName, LeaseDurationSeconds = seconds, AcquireTime = now, RenewTime = now },
            }, cancellationToken).ConfigureAwait(false);
        }

        if (lease.Spec.HolderIdentity != nodeName)
        {
            lease.Spec.AcquireTime = now;
            lease.Spec.LeaseTransitions = (lease.Spec.LeaseTransitions ?? 0) + 1;
        }

        lease.Spec.HolderIdentity = nodeName;
        lease.Spec.LeaseDurationSeconds = seconds;
        lease.Spec.RenewTime = now;
        return await _leases.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
    }
}
