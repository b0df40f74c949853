using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Kube.Client;

namespace Raven.TestSupport;

/// <summary>
/// The one embedded-cluster harness: the embedded API server on loopback (optionally with the Gateway CRD and
/// Raven's admission) and a client for it through the official client, not rate limited; disposed by the test.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private EmbeddedCluster(EmbeddedApiServer server, EmbeddedApiServerOptions options, KubeClient client)
    {
        Server = server;
        Options = options;
        Client = client;
    }

    public EmbeddedApiServer Server { get; }

    public EmbeddedApiServerOptions Options { get; }

    public KubeClient Client { get; }

    /// <param name="options">The server's options; defaults to a plain loopback server.</param>
    /// <param name="raven">Serves Raven's Gateway CRD with its admission (the server the controller and agents meet).</param>
    /// <param name="qps">The client's QPS and burst: high enough that tests and benchmarks never wait on the limiter.</param>
    public static async Task<EmbeddedCluster> StartAsync(EmbeddedApiServerOptions? options = null, bool raven = false, double qps = 1000)
    {
        options ??= new EmbeddedApiServerOptions();
        var server = raven ? RavenApiServer.Create(options) : new EmbeddedApiServer(options);
        try
        {
            await server.StartAsync().ConfigureAwait(false);
            if (raven)
            {
                await RavenApiServer.InstallGatewayCrdAsync(server, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new EmbeddedCluster(server, options, NewClient(server, qps));
    }

    /// <summary>Another client of the same server (another process, as far as the server can tell).</summary>
    public static KubeClient NewClient(EmbeddedApiServer server, double qps = 1000)
    {
        ArgumentNullException.ThrowIfNull(server);
        return KubeClient.ForServer(server.Url.ToString(), new KubeClientOptions { Qps = qps, Burst = (int)Math.Min(int.MaxValue, qps) });
    }

    /// <summary>An API server outage: stops serving (objects stay in memory) until <see cref="StartServerAgainAsync"/>.</summary>
    public Task StopServerAsync() => Server.StopAsync();

    /// <summary>Serves again on the same port, as a restarted API server behind the same address would.</summary>
    public Task StartServerAgainAsync()
    {
        Options.Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Server.Url.Port);
        return Server.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
