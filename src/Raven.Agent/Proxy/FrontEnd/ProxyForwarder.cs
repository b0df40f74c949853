using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Raven.Agent.Proxy.Certificates;

namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>
/// Sends one front-end request to its route's target over HTTP/1.1 and streams the answer back: bodies in both
/// directions as they come, and after a 101 the two raw connections spliced together. HTTPS targets get a new TLS
/// session that presents the proxy-user client certificate.
/// </summary>
internal sealed class ProxyForwarder : IDisposable
{
    private static readonly HttpRequestOptionsKey<ProxyRoute> RouteKey = new("raven.proxy.route");
    private readonly HttpMessageInvoker _invoker;
    private readonly ProxyDialer _dialer;
    private readonly TimeProvider _clock;

    public ProxyForwarder(ProxyDialer dialer, ICertificateSource certificates, TimeProvider clock)
    {
        _dialer = dialer;
        _clock = clock;
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            SslOptions =
            {
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificates.ProxyUserCertificate!,
                // As upstream: kubelet serving certificates are commonly self-signed, and the target address came
                // from the node object, not from the caller.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        });
    }

    public async Task ForwardAsync(HttpContext context, ProxyRoute route, string pathAndQuery)
    {
        var inbound = context.Request;
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var isUpgrade = upgrade?.IsUpgradableRequest == true;
        var scheme = inbound.IsHttps ? "https" : "http";
        using var outbound = new HttpRequestMessage(new HttpMethod(inbound.Method),
            new Uri($"{scheme}://{route.NodeName}:{route.Target.Port}{pathAndQuery}"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        outbound.Options.Set(RouteKey, route);
        if (!isUpgrade && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            outbound.Content = new StreamContent(inbound.Body, StreamCopier.BufferSize);
        }

        CopyRequestHeaders(inbound, outbound, isUpgrade);
        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(outbound, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            var failure = FindDialFailure(ex)
                ?? new ProxyFailure(502, $"request to {route.Target} for node \"{route.NodeName}\" failed: {ex.Message}");
            await ProxyFrontEnd.WriteFailureAsync(context, failure).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
            {
                if (!isUpgrade)
                {
                    await ProxyFrontEnd.WriteFailureAsync(context, new ProxyFailure(502,
                        $"{route.Target} of node \"{route.NodeName}\" switched protocols without being asked to")).ConfigureAwait(false);
                    return;
                }

                CopyResponseHeaders(response, context.Response, keepUpgrade: true);
                await SpliceAsync(context, upgrade!, response).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = (int)response.StatusCode;
            CopyResponseHeaders(response, context.Response, keepUpgrade: false);
            var body = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            var outcome = await StreamCopier.CopyAsync(body, context.Response.Body, autoFlush: true, _clock,
                context.RequestAborted).ConfigureAwait(false);
            if (outcome.Result != StreamCopyResult.Success)
            {
                // A truncated body must not look complete to the caller.
                context.Abort();
            }
        }
    }

    public void Dispose() => _invoker.Dispose();

    private async Task SpliceAsync(HttpContext context, IHttpUpgradeFeature upgrade, HttpResponseMessage response)
    {
        var upstream = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
        await using (upstream.ConfigureAwait(false))
        {
            var downstream = await upgrade.UpgradeAsync().ConfigureAwait(false);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            var toTarget = StreamCopier.CopyAsync(downstream, upstream, autoFlush: true, _clock, done.Token);
            var toCaller = StreamCopier.CopyAsync(upstream, downstream, autoFlush: true, _clock, done.Token);
            // Upgraded protocols (SPDY, websocket) close both ways together: when one side ends, end the other.
            await Task.WhenAny(toTarget, toCaller).ConfigureAwait(false);
            await done.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(toTarget, toCaller).ConfigureAwait(false);
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(RouteKey, out var route))
        {
            throw new ProxyDialException(new ProxyFailure(500, "request has no proxy route"));
        }

        var (stream, failure) = await _dialer.DialAsync(route, cancellationToken).ConfigureAwait(false);
        return stream ?? throw new ProxyDialException(failure!);
    }

    private static ProxyFailure? FindDialFailure(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is ProxyDialException { Failure: { } failure })
            {
                return failure;
            }
        }

        return null;
    }

    private static void CopyRequestHeaders(HttpRequest inbound, HttpRequestMessage outbound, bool isUpgrade)
    {
        var tokens = HopByHopHeaders.ConnectionTokens(inbound.Headers.Connection!);
        foreach (var (name, values) in inbound.Headers)
        {
            if (HopByHopHeaders.IsHopByHop(name, tokens))
            {
                continue;
            }

            if (!outbound.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
            {
                outbound.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
        }

        // As upstream: the target sees its own address, as if called directly.
        var target = outbound.Options.TryGetValue(RouteKey, out var route) ? route.Target.ToString() : null;
        outbound.Headers.Host = target;
        if (isUpgrade)
        {
            outbound.Headers.Connection.Add("Upgrade");
            outbound.Headers.TryAddWithoutValidation("Upgrade", (IEnumerable<string>)inbound.Headers.Upgrade!);
        }
    }

    private static void CopyResponseHeaders(HttpResponseMessage response, HttpResponse outbound, bool keepUpgrade)
    {
        var tokens = HopByHopHeaders.ConnectionTokens(response.Headers.Connection);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            var keep = keepUpgrade && name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase);
            if (keep || !HopByHopHeaders.IsHopByHop(name, tokens))
            {
                outbound.Headers[name] = values.ToArray();
            }
        }
    }
}
