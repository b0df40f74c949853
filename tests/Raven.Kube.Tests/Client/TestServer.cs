using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Raven.Kube.Tests.Client;

/// <summary>A tiny Kestrel server (Unix socket or loopback) that answers every request with one handler.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app)
    {
        _app = app;
    }

    public static async Task<TestServer> StartAsync(Action<KestrelServerOptions> listen, RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(listen);
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return new TestServer(app);
    }

    public string Address => _app.Urls.First();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
