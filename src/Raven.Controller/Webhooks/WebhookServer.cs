using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Raven.Api.Json;
using Raven.Kube.Observability;

namespace Raven.Controller.Webhooks;

/// <summary>
/// The HTTPS shell around the pure Gateway handlers: mutate, validate, /convert and /healthz on Kestrel,
/// with a serving certificate that follows its files. Every controller replica serves, leader or not.
/// </summary>
public sealed class WebhookServer : IAsyncDisposable
{
    private const int MaxBodyBytes = 8 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly CertificateReloader _certificates;
    private readonly CancellationTokenSource _stop;
    private readonly Task _watch;

    private WebhookServer(WebApplication app, CertificateReloader certificates, CancellationTokenSource stop, Task watch)
    {
        _app = app;
        _certificates = certificates;
        _stop = stop;
        _watch = watch;
    }

    /// <summary>The bound address, e.g. https://127.0.0.1:10273 (useful with port 0).</summary>
    public string Url => _app.Urls.First();

    public CertificateReloader Certificates => _certificates;

    public static async Task<WebhookServer> StartAsync(WebhookServerOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var endPoint = ProbeServer.ParseAddress(options.BindAddress);
        if (!WebhookCertificates.HasServingFiles(options.CertDir))
        {
            // Never overwrite half of someone else's pair.
            if (WebhookCertificates.HasAnyServingFile(options.CertDir))
            {
                throw new InvalidOperationException($"{options.CertDir} holds only one of {WebhookCertificates.CertFile} and {WebhookCertificates.KeyFile}; provide both or neither");
            }

            WebhookCertificates.GenerateSelfSigned(options.CertDir, options.ServiceDnsNames);
            logger.LogInformation("generated a self-signed webhook CA and serving certificate for {Names} in {Dir}; put {Ca} into the caBundle fields",
                string.Join(", ", options.ServiceDnsNames), options.CertDir, Path.Combine(options.CertDir, WebhookCertificates.CaFile));
        }

        var certificates = new CertificateReloader(options.CertDir, logger);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddComponentHostLifetime();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(endPoint, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => certificates.Current,
            }));
        });
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        Map(app, GatewayAdmission.MutatePath, GatewayAdmission.Mutate, logger);
        Map(app, GatewayAdmission.ValidatePath, GatewayAdmission.Validate, logger);
        Map(app, GatewayConversionReview.Path, GatewayConversionReview.Convert, logger);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var stop = new CancellationTokenSource();
        var watch = certificates.WatchAsync(options.CertReloadInterval, stop.Token);
        logger.LogInformation("webhook server listening on {Url}", app.Urls.First());
        return new WebhookServer(app, certificates, stop, watch);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _certificates.Dispose();
    }

    private static void Map(WebApplication app, string path, Func<string, WebhookReply> handler, ILogger logger) =>
        app.MapPost(path, async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            var reply = handler(body);
            context.Response.StatusCode = reply.StatusCode;
            if (reply.Review is { } review)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(review.ToJsonString(RavenJson.Options), context.RequestAborted).ConfigureAwait(false);
                return;
            }

            logger.LogWarning("rejected a request to {Path}: {Error}", path, reply.Error);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(reply.Error + "\n", context.RequestAborted).ConfigureAwait(false);
        });
}
