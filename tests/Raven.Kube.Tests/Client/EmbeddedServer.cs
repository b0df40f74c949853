using Raven.ApiServer;
using Raven.Kube.Client;

namespace Raven.Kube.Tests.Client;

/// <summary>The embedded API server on loopback with a client for it (the official client through Raven's layer).</summary>
internal sealed class EmbeddedServer : IAsyncDisposable
{
    private EmbeddedServer(EmbeddedApiServer server, KubeClient client)
    {
        Server = server;
        Client = client;
    }

    public EmbeddedApiServer Server { get; }

    public KubeClient Client { get; }

    public static async Task<EmbeddedServer> StartAsync(Action<EmbeddedApiServerOptions>? configure = null)
    {
        var options = new EmbeddedApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(options);
        var server = new EmbeddedApiServer(options);
        await server.StartAsync();
        return new EmbeddedServer(server, NewClient(server));
    }

    /// <summary>Another client of the same server (another process, as far as the server can tell).</summary>
    public static KubeClient NewClient(EmbeddedApiServer server) =>
        KubeClient.ForServer(server.Url.ToString(), new KubeClientOptions { Qps = 1000, Burst = 1000 });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
