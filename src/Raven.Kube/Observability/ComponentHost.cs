using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Raven.Kube.Observability;

/// <summary>
/// Settings for a Kestrel host that is one part of a raven process (probes, webhooks, proxy front ends, the embedded
/// API server) rather than the process itself: it must not take over SIGTERM/SIGINT (the default console lifetime
/// does, and its exit hook waits for the host to be disposed), and it must stop in well under the process's 2 s.
/// </summary>
public static class ComponentHost
{
    /// <summary>How long a stopping host waits for requests in flight before it closes their connections.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMilliseconds(500);

    public static IServiceCollection AddComponentHostLifetime(this IServiceCollection services, TimeSpan? shutdownTimeout = null)
    {
        services.AddSingleton<IHostLifetime, PassiveLifetime>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? ShutdownTimeout);
        return services;
    }

    /// <summary>Starts and stops when told to; listens to no signal.</summary>
    private sealed class PassiveLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
