using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.Directory;
using Raven.Agent.Proxy.Tunnel;
using Yarp.ReverseProxy.Forwarder;

namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>
/// The proxy server's entry points for cloud callers: HTTPS 10263 (client certificate required) and HTTP 10264
/// (source CIDRs only). Each request is routed by node name to the node's domain and forwarded there.
/// </summary>
public sealed partial class ProxyFrontEnd : IAsyncDisposable
{
    private readonly ProxyFrontEndOptions _options;
    private readonly ICertificateSource _certificates;
    private readonly IPodDirectory _pods;
    private readonly ProxyRouter _router;
    private readonly ProxyDialer _dialer;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private WebApplication? _app;
    private ProxyForwarder? _forwarder;

    public ProxyFrontEnd(ProxyFrontEndOptions options, TunnelServer? tunnel, INodeDirectory nodes,
        IProxyGatewayDirectory gateways, IPodDirectory pods, ICertificateSource certificates,
        ILogger<ProxyFrontEnd>? logger = null, TimeProvider? clock = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _pods = pods ?? throw new ArgumentNullException(nameof(pods));
        _logger = logger ?? NullLogger<ProxyFrontEnd>.Instance;
        _clock = clock ?? TimeProvider.System;
        _router = new ProxyRouter(nodes, gateways, options.LocalGatewayName, options.KubeletPorts);
        _dialer = new ProxyDialer(tunnel, options.ConnectTimeout, _clock, options.DialObserved);
    }

    /// <summary>Bound HTTPS address once started (real port when configured with port 0).</summary>
    public IPEndPoint? SecureEndPoint { get; private set; }

    public IPEndPoint? InsecureEndPoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _app = KestrelHost.Build(ConfigureKestrel, HandleAsync, _options.ShutdownTimeout,
            services => services.AddSingleton(_clock).AddHttpForwarder());
        _forwarder = new ProxyForwarder(_app.Services.GetRequiredService<IHttpForwarder>(), _dialer, _certificates, _logger);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var address in KestrelHost.Addresses(_app))
        {
            if (address.Scheme == Uri.UriSchemeHttps)
            {
                SecureEndPoint = KestrelHost.EndPoint(address);
            }
            else
            {
                InsecureEndPoint = KestrelHost.EndPoint(address);
            }
        }

        LogStarted(SecureEndPoint, InsecureEndPoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _forwarder?.Dispose();
        _forwarder = null;
    }

    internal static async Task WriteFailureAsync(HttpContext context, ProxyFailure failure)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = failure.StatusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(failure.Message + "\n", context.RequestAborted).ConfigureAwait(false);
    }

    private void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        if (_options.SecureListenEndPoint is { } secure)
        {
            kestrel.Listen(secure, listen =>
            {
                // HTTP/1.1 only: exec, attach and port-forward need HTTP/1.1 upgrades.
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(https =>
                {
                    https.ServerCertificateSelector = (_, _) => _certificates.ServerCertificate;
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.CheckCertificateRevocation = false;
                    https.ClientCertificateValidation = (certificate, _, _) =>
                        CertificateTrust.Check(certificate, _certificates.TrustedAuthorities, CertificateTrust.ClientAuth) is null;
                });
            });
        }

        if (_options.InsecureListenEndPoint is { } insecure)
        {
            kestrel.Listen(insecure, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var started = _clock.GetTimestamp();
        var route = Routes.Refused;
        try
        {
            route = await RouteAndForwardAsync(context).ConfigureAwait(false);
        }
        finally
        {
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 0 : context.Response.StatusCode;
            _options.RequestObserved?.Invoke(new ProxyRequestTiming(route, status, _clock.GetElapsedTime(started)));
        }
    }

    /// <returns>How the request was routed (<see cref="Routes"/>).</returns>
    private async Task<string> RouteAndForwardAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.IsHttps && !SourceAllowed(context.Connection.RemoteIpAddress))
        {
            await WriteFailureAsync(context, new ProxyFailure(403,
                $"source {context.Connection.RemoteIpAddress} may not use the HTTP proxy port; allowed source CIDRs: " +
                (_options.AllowedSourceCidrs.Count == 0 ? "none" : string.Join(", ", _options.AllowedSourceCidrs)))).ConfigureAwait(false);
            return Routes.Refused;
        }

        var facts = new ProxyRequestFacts(request.Host.Value, request.Path.ToUriComponent(), request.QueryString.Value ?? "",
            request.Headers[ProxyRequestParser.TunnelProxyHostHeader].ToString(),
            request.Headers[ProxyRequestParser.TunnelProxyDestHeader].ToString());
        var target = ProxyRequestParser.Parse(facts, out var failure);
        if (target is null)
        {
            await WriteFailureAsync(context, failure!).ConfigureAwait(false);
            return Routes.Refused;
        }

        var nodeName = target.NodeName;
        if (nodeName is null && target.Pod is { } pod)
        {
            nodeName = await _pods.FindNodeOfPodAsync(pod.Namespace, pod.Name, context.RequestAborted).ConfigureAwait(false);
            if (nodeName is null)
            {
                await WriteFailureAsync(context,
                    new ProxyFailure(404, $"pod \"{pod.Namespace}/{pod.Name}\" not found or not scheduled to a node")).ConfigureAwait(false);
                return Routes.Refused;
            }
        }

        var route = _router.Route(nodeName!, target.Port, out failure);
        if (route is null)
        {
            LogRefused(request.Method, facts.Path, failure!.StatusCode, failure.Message);
            await WriteFailureAsync(context, failure).ConfigureAwait(false);
            return Routes.Refused;
        }

        await _forwarder!.ForwardAsync(context, route, target.PathAndQuery).ConfigureAwait(false);
        return route.Direct ? Routes.Direct : Routes.Tunnel;
    }

    private bool SourceAllowed(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _options.AllowedSourceCidrs.Any(network => network.Contains(address));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxy front end listening on HTTPS {Secure} and HTTP {Insecure}")]
    private partial void LogStarted(IPEndPoint? secure, IPEndPoint? insecure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Status} {Reason}")]
    private partial void LogRefused(string method, string path, int status, string reason);
}
