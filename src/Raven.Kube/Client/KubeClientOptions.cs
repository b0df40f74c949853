using System.Reflection;

namespace Raven.Kube.Client;

/// <summary>How one <see cref="KubeClient"/> paces and bounds its requests.</summary>
public sealed record KubeClientOptions
{
    /// <summary>Sustained requests per second (token bucket refill); 0 or less disables limiting.</summary>
    public double Qps { get; init; } = 50;

    /// <summary>Requests allowed at once before the QPS limit applies.</summary>
    public int Burst { get; init; } = 100;

    /// <summary>Limit for the response headers of any request; a non-watch request also has this long (plus a margin) for its body.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary>Clock of the rate limiter and of <see cref="ApiConnectivity"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Test seam: a handler placed innermost in the pipeline, after the rate limit and connectivity tracking. A handler
    /// that answers by itself (scripted responses) never reaches the network.
    /// </summary>
    public DelegatingHandler? InnermostHandler { get; init; }

    /// <summary>raven/&lt;informational version without build metadata&gt;.</summary>
    public static string DefaultUserAgent { get; } = "raven/" + Version();

    private static string Version()
    {
        var version = typeof(KubeClientOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
