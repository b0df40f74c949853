namespace Raven.Agent.Proxy.Certificates;

public sealed record CsrCertificateManagerOptions
{
    /// <summary>How often a pending CSR is read back.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one CSR may stay unanswered before a new one is created.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Wait after a denied or failed request, doubling up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Identity written into spec.username/groups; only unauthenticating API servers keep it.</summary>
    public CsrRequesterIdentity? Identity { get; init; }
}
