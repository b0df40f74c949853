using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Raven.Kube.Client.Leader;

/// <summary>
/// The library's <see cref="LeaseLock"/>, read as client-go reads a Lease: one that exists without a holder (released
/// by clearing holderIdentity, or created bare) is free to take. The library's elector would instead try to create
/// it, fail with AlreadyExists and never lead; here such a record comes back with an empty holder and times, which
/// the elector treats as free.
/// </summary>
public sealed class FreeLeaseLock(IKubernetes client, string @namespace, string name, string identity) : ILock
{
    private readonly LeaseLock _lease = new(client, @namespace, name, identity);

    public string Identity => _lease.Identity;

    public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
    {
        var record = await _lease.GetAsync(cancellationToken).ConfigureAwait(false);
        if (record is not null && string.IsNullOrEmpty(record.HolderIdentity))
        {
            record.HolderIdentity = "";
            record.AcquireTime ??= DateTime.UnixEpoch;
            record.RenewTime ??= DateTime.UnixEpoch;
        }

        return record!;
    }

    public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) => _lease.CreateAsync(record, cancellationToken);

    public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) => _lease.UpdateAsync(record, cancellationToken);

    public string Describe() => _lease.Describe();
}
