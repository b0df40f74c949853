using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Raven.Kube.Observability;

namespace Raven.Agent.Proxy;

/// <summary>Builds a bare Kestrel server that runs one request delegate: no routing, no config files.</summary>
internal static class KestrelHost
{
    public static WebApplication Build(Action<KestrelServerOptions> configure, RequestDelegate handler, TimeSpan shutdownTimeout,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(configure);
        builder.Services.AddComponentHostLifetime(shutdownTimeout);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.Run(handler);
        return app;
    }

    /// <summary>The bound addresses after start (port 0 resolved), e.g. https://127.0.0.1:41234.</summary>
    public static IReadOnlyList<Uri> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Select(a => new Uri(a)).ToList();

    public static System.Net.IPEndPoint EndPoint(Uri address) =>
        new(System.Net.IPAddress.Parse(address.Host), address.Port);
}
