using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Raven.Kube.Observability;

/// <summary>/healthz, /readyz and /metrics on one small Kestrel listener.</summary>
public sealed class ProbeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProbeServer(WebApplication app) => _app = app;

    /// <summary>The bound address, e.g. http://127.0.0.1:10272 (useful with port 0).</summary>
    public string Url => _app.Urls.First();

    /// <param name="address">"host:port"; host may be an IP or "localhost"; port 0 picks a free port.</param>
    /// <param name="ready">Returns null when ready, else the reason it is not.</param>
    public static async Task<ProbeServer> StartAsync(string address, Func<string?> ready, CollectorRegistry metrics, CancellationToken cancellationToken)
    {
        var endPoint = ParseAddress(address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddComponentHostLifetime();
        builder.WebHost.ConfigureKestrel(k => k.Listen(endPoint));
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => ready() is { } reason ? Results.Text($"not ready: {reason}\n", statusCode: 503) : Results.Text("ok\n"));
        app.MapMetrics("/metrics", metrics);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ProbeServerStartException(address, e);
        }

        return new ProbeServer(app);
    }

    public static IPEndPoint ParseAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        var host = colon <= 0 ? "0.0.0.0" : address[..colon].Trim('[', ']');
        if (colon < 0 || !int.TryParse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
        {
            throw new ArgumentException($"'{address}' is not host:port");
        }

        var ip = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"'{address}': host must be an IP address or localhost");
        return new IPEndPoint(ip, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
