namespace Raven.Controller.Runtime;

/// <summary>Settings of `raven controller`, validated once at start.</summary>
public sealed record ControllerOptions
{
    /// <summary>How long an agent lease stays valid after its last renewal, as the agents write it.</summary>
    public TimeSpan AgentLeaseGrace { get; init; } = TimeSpan.Zero;

    /// <summary>Full re-evaluation period: heals anything a missed event left stale (upstream #2797).</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(60);

    public bool LeaderElection { get; init; } = true;
    public string LeaderElectionLease { get; init; } = "raven-controller";
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}"[..Math.Min(63, Environment.MachineName.Length + 33)];

    /// <summary>"host:port" for /healthz, /readyz and /metrics; null disables the endpoint.</summary>
    public string? ProbeAddress { get; init; } = "127.0.0.1:10272";

    public void Validate()
    {
        if (ResyncPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--resync-period must be positive, got {ResyncPeriod}");
        }

        if (LeaderElection && !(RetryPeriod < RenewDeadline && RenewDeadline < LeaseDuration))
        {
            throw new ArgumentException(
                $"leader election needs --leader-elect-retry-period ({RetryPeriod.TotalSeconds}s) < --leader-elect-renew-deadline ({RenewDeadline.TotalSeconds}s) < --leader-elect-lease-duration ({LeaseDuration.TotalSeconds}s)");
        }
    }
}
