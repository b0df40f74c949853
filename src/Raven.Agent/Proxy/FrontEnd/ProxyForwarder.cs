using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Raven.Agent.Proxy.Certificates;
using Yarp.ReverseProxy.Forwarder;

namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>
/// Sends one front-end request to its route's target through YARP's <see cref="IHttpForwarder"/> (streaming bodies,
/// hop-by-hop headers, 101 upgrades spliced both ways), with the connection to the target opened by
/// <see cref="ProxyDialer"/>: a tunnel stream through the target domain's proxy client, or a socket in our own domain.
/// HTTPS targets get a new TLS session that presents the proxy-user client certificate. Refusals keep our statuses
/// and reasons (<see cref="ProxyFailure"/>).
/// </summary>
internal sealed partial class ProxyForwarder : IDisposable
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // HTTP/1.1 as upstream: kubelets' streaming endpoints upgrade HTTP/1.1 connections only.
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        // `kubectl logs -f`, watches and idle exec or port-forward sessions may stay silent for hours; YARP's default
        // would cut them after 100 s of silence. Dead peers are found by the tunnel's HTTP/2 pings and TCP instead.
        ActivityTimeout = Timeout.InfiniteTimeSpan,
    };

    private readonly IHttpForwarder _forwarder;
    private readonly ProxyDialer _dialer;
    private readonly HttpMessageInvoker _invoker;
    private readonly ILogger _logger;

    public ProxyForwarder(IHttpForwarder forwarder, ProxyDialer dialer, ICertificateSource certificates, ILogger logger)
    {
        _forwarder = forwarder;
        _dialer = dialer;
        _logger = logger;
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
        }, disposeHandler: true);
    }

    public async Task ForwardAsync(HttpContext context, ProxyRoute route, string pathAndQuery)
    {
        var destination = DestinationPrefix(route, context.Request.IsHttps);
        var error = await _forwarder.SendAsync(context, destination, _invoker, RequestConfig,
            new RouteTransformer(route, pathAndQuery)).ConfigureAwait(false);
        if (error == ForwarderError.None || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (context.Response.HasStarted)
        {
            // YARP has already reset a truncated response, or the failure came after a complete one.
            LogForwardingEnded(route.NodeName, route.Target, error, exception?.GetBaseException().Message);
            return;
        }

        // A broken tunnel names its proxy client; below it is only the transport's complaint.
        var cause = FindInChain<Tunnel.TunnelBrokenException>(exception)?.Message ?? exception?.GetBaseException().Message ?? error.ToString();
        var failure = FindInChain<ProxyDialException>(exception)?.Failure ?? new ProxyFailure(
            context.Response.StatusCode >= 400 ? context.Response.StatusCode : StatusCodes.Status502BadGateway,
            $"request to {route.Target} for node \"{route.NodeName}\" failed: {cause}");
        LogForwardingFailed(context.Request.Method, context.Request.Path, failure.StatusCode, failure.Message);
        context.Response.Clear();
        await ProxyFrontEnd.WriteFailureAsync(context, failure).ConfigureAwait(false);
    }

    public void Dispose() => _invoker.Dispose();

    /// <summary>
    /// The request URI's scheme, host and port, which are also SocketsHttpHandler's connection-pool key. The host is
    /// the node name behind a digest of everything that decides where a connection leads (address, port, direct or
    /// through which gateway), so a pooled connection only ever carries requests of the same route: when a node
    /// changes address or domain, its next request opens a new connection. The host never reaches the wire: the
    /// Host header is the target's address.
    /// </summary>
    internal static string DestinationPrefix(ProxyRoute route, bool https)
    {
        var identity = $"{route.Target}|{(route.Direct ? "direct" : "tunnel")}|{route.GatewayName}";
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 8));
        return $"{(https ? "https" : "http")}://r{digest}.{route.NodeName}:{route.Target.Port}";
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(RouteTransformer.RouteKey, out var route))
        {
            throw new ProxyDialException(new ProxyFailure(500, "request has no proxy route"));
        }

        var (stream, failure) = await _dialer.DialAsync(route, cancellationToken).ConfigureAwait(false);
        return stream ?? throw new ProxyDialException(failure!);
    }

    private static T? FindInChain<T>(Exception? exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarding {Method} {Path} failed: {Status} {Reason}")]
    private partial void LogForwardingFailed(string method, string path, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarded response from node {Node} ({Target}) ended early: {Error} {Reason}")]
    private partial void LogForwardingEnded(string node, IPEndPoint target, ForwarderError error, string? reason);
}
