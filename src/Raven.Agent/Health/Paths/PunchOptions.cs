namespace Raven.Agent.Health.Paths;

/// <summary>Timing of punched-path trials (docs/nat-traversal.md, "Hole punching").</summary>
public sealed record PunchOptions
{
    /// <summary>How long the relay must have been measured Up, on the relay alone, before a trial starts.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a trial waits for the direct path's probes to come Up before it gives up.</summary>
    public TimeSpan TrialTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The wait before the first retry after a failed trial or a fall-back; doubled on each failure in a row.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between retries.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Cost formula and hysteresis of the direct-vs-relay choice.</summary>
    public PathCostOptions Cost { get; init; } = new();

    public PunchOptions Validated()
    {
        if (Settle < TimeSpan.Zero || TrialTimeout <= TimeSpan.Zero || RetryAfter <= TimeSpan.Zero || MaxRetryAfter < RetryAfter)
        {
            throw new ArgumentException("punch options: Settle must not be negative, TrialTimeout and RetryAfter must be positive, MaxRetryAfter at least RetryAfter", nameof(TrialTimeout));
        }

        Cost.Validated();
        return this;
    }
}
