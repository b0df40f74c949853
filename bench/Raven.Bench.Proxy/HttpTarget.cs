using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Raven.Bench.Proxy;

/// <summary>
/// A plain HTTP/1.1 server on 127.0.0.1 standing in for a kubelet: <c>GET /bytes?n=N</c> streams N bytes,
/// <c>POST /sink</c> counts the request body and answers with the count, anything else answers 64 bytes.
/// </summary>
internal sealed class HttpTarget : IAsyncDisposable
{
    private static readonly byte[] Chunk = CreateChunk();
    private readonly WebApplication _app;

    private HttpTarget(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<HttpTarget> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return new HttpTarget(app, address.Port);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/bytes":
                var remaining = long.Parse(context.Request.Query["n"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
                while (remaining > 0)
                {
                    var count = (int)Math.Min(Chunk.Length, remaining);
                    await context.Response.Body.WriteAsync(Chunk.AsMemory(0, count));
                    remaining -= count;
                }

                break;
            case "/sink":
                var buffer = new byte[64 * 1024];
                long total = 0;
                int read;
                while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
                {
                    total += read;
                }

                await context.Response.WriteAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                await context.Response.Body.WriteAsync(Chunk.AsMemory(0, 64));
                break;
        }
    }

    private static byte[] CreateChunk()
    {
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        return chunk;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
