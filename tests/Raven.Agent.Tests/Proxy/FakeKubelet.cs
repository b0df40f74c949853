using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Raven.Agent.Proxy;
using System.Security.Cryptography.X509Certificates;

namespace Raven.Agent.Tests.Proxy;

/// <summary>A tiny HTTP(S) server on a loopback address standing in for a node's kubelet.</summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKubelet(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>Released by a test to let /stream send its second chunk.</summary>
    public TaskCompletionSource StreamGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a /stream request is aborted by the proxy (the caller went away).</summary>
    public TaskCompletionSource StreamAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a /hold request has arrived.</summary>
    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when an upgraded /upgrade connection reads end of stream from the proxy.</summary>
    public TaskCompletionSource UpgradeEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeKubelet> StartAsync(string name, IPAddress address, int port, X509Certificate2? tlsCertificate = null)
    {
        FakeKubelet? kubelet = null;
        var app = KestrelHost.Build(
            kestrel => kestrel.Listen(address, port, listen =>
            {
                if (tlsCertificate is not null)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = tlsCertificate;
                        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                        https.ClientCertificateValidation = (_, _, _) => true;
                    });
                }
            }),
            context => kubelet!.HandleAsync(context),
            TimeSpan.FromSeconds(1));
        kubelet = new FakeKubelet(name, app);
        await app.StartAsync();
        kubelet.Port = KestrelHost.Addresses(app)[0].Port;
        return kubelet;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/stream")
        {
            await context.Response.WriteAsync("first\n");
            await context.Response.Body.FlushAsync();
            using (context.RequestAborted.Register(() => StreamAborted.TrySetResult()))
            {
                await StreamGate.Task;
            }

            await context.Response.WriteAsync("second\n");
            return;
        }

        if (path == "/upgrade")
        {
            // Echoes until the proxy ends the stream.
            var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
            context.Response.Headers.Upgrade = context.Request.Headers.Upgrade.ToString();
            await using var stream = await upgrade.UpgradeAsync();
            var buffer = new byte[4096];
            int read;
            try
            {
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read));
                    await stream.FlushAsync();
                }
            }
            finally
            {
                UpgradeEnded.TrySetResult();
            }

            return;
        }

        if (path == "/upgrade-and-leave")
        {
            // Switches protocols, says "bye" and ends the connection from the target's side.
            context.Response.Headers.Upgrade = context.Request.Headers.Upgrade.ToString();
            await using var stream = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
            await stream.WriteAsync("bye"u8.ToArray());
            await stream.FlushAsync();
            return;
        }

        if (path == "/hold")
        {
            // Takes the request and never answers: a request in flight when its tunnel dies.
            Held.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (path == "/hang-up")
        {
            // Drops the connection without answering.
            context.Abort();
            return;
        }

        if (path == "/headers")
        {
            // The request headers as the target saw them, one "name: value" line each, and response headers that
            // a proxy must drop (named by Connection) or keep.
            context.Response.Headers.Connection = "X-Hop-Response";
            context.Response.Headers["X-Hop-Response"] = "must not reach the caller";
            context.Response.Headers["X-End-To-End"] = "kept";
            var lines = context.Request.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .Select(h => $"{h.Key.ToLowerInvariant()}: {h.Value}");
            await context.Response.WriteAsync(string.Join("\n", lines));
            return;
        }

        if (path == "/echo-body")
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            await context.Response.WriteAsync($"{Name} got {body.Length} bytes");
            return;
        }

        if (context.Request.Query.ContainsKey("close"))
        {
            // The next request must open a new connection (a new dial through the tunnel).
            context.Response.Headers.Connection = "close";
        }

        var client = context.Connection.ClientCertificate?.Subject ?? "none";
        await context.Response.WriteAsync(
            $"{Name} {context.Request.Method} {path}{context.Request.QueryString} host={context.Request.Host} client={client}");
    }

    public async ValueTask DisposeAsync()
    {
        StreamGate.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
