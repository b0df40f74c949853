namespace Raven.Kube.Client.Leader;

/// <summary>Leader election settings; the defaults are client-go's (15s / 10s / 2s).</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseName { get; init; }

    public required string LeaseNamespace { get; init; }

    /// <summary>Unique per candidate, e.g. "hostname_uuid".</summary>
    public required string Identity { get; init; }

    /// <summary>How long non-leaders wait after the last observed change before taking over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives leadership up.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between acquire/renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On cancellation, clear the holder so the next candidate takes over without waiting out the lease.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    /// <summary>Waits between attempts are stretched by up to this factor at random (client-go's JitterFactor).</summary>
    public const double JitterFactor = 1.2;

    /// <summary>Throws naming the first setting that breaks LeaseDuration &gt; RenewDeadline &gt; 1.2 × RetryPeriod.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(LeaseName) || string.IsNullOrEmpty(LeaseNamespace) || string.IsNullOrEmpty(Identity))
        {
            throw new ArgumentException("leader election: LeaseName, LeaseNamespace and Identity are required");
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException($"leader election: RetryPeriod ({RetryPeriod}) must be positive");
        }

        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException($"leader election: LeaseDuration ({LeaseDuration}) must be greater than RenewDeadline ({RenewDeadline})");
        }

        if (RenewDeadline <= RetryPeriod * JitterFactor)
        {
            throw new ArgumentException(
                $"leader election: RenewDeadline ({RenewDeadline}) must be greater than {JitterFactor} × RetryPeriod ({RetryPeriod})");
        }
    }
}
