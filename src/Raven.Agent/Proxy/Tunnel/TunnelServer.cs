using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Proxy.Certificates;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>
/// The reverse-tunnel end on the exposed proxy server (port 10262). Proxy clients keep an HTTP/2 connection here;
/// <see cref="DialAsync"/> asks one of them to connect to a target inside its domain and returns the byte stream.
/// </summary>
public sealed partial class TunnelServer : IAsyncDisposable
{
    private readonly TunnelServerOptions _options;
    private readonly ICertificateSource _certificates;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly TunnelRegistry _registry = new();
    private readonly ConcurrentDictionary<long, PendingDial> _pending = new();
    private readonly ConcurrentDictionary<TunnelStream, byte> _streams = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private long _nextDialId;

    public TunnelServer(TunnelServerOptions options, ICertificateSource certificates, ILogger<TunnelServer>? logger = null,
        TimeProvider? clock = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _logger = logger ?? NullLogger<TunnelServer>.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The bound address once started (the real port when configured with port 0).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Node names of the proxy clients connected now.</summary>
    public IReadOnlyCollection<string> ConnectedNodes => _registry.Nodes;

    public bool IsConnected(string nodeName) => _registry.Get(nodeName).Count > 0;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _app = KestrelHost.Build(ConfigureKestrel, HandleAsync, _options.ShutdownTimeout);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        LocalEndPoint = KestrelHost.EndPoint(KestrelHost.Addresses(_app)[0]);
        LogStarted(LocalEndPoint);
    }

    /// <summary>Asks the proxy client <paramref name="nodeName"/> to connect to <paramref name="target"/>.</summary>
    public async Task<TunnelDialResult> DialAsync(string nodeName, DnsEndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        ArgumentNullException.ThrowIfNull(target);
        var sessions = _registry.Get(nodeName);
        if (sessions.Count == 0)
        {
            return TunnelDialResult.Failed(TunnelDialStatus.NoTunnel, $"proxy client \"{nodeName}\" is not connected");
        }

        var id = Interlocked.Increment(ref _nextDialId);
        var pending = new PendingDial(nodeName, target);
        _pending[id] = pending;
        using var timeout = new CancellationTokenSource(_options.DialTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken, _stopping.Token);
        try
        {
            var sent = false;
            foreach (var session in sessions)
            {
                if (await session.SendAsync(new DialCommand(id, target), linked.Token).ConfigureAwait(false))
                {
                    sent = true;
                    break;
                }
            }

            if (!sent)
            {
                pending.TryComplete(TunnelDialResult.Failed(TunnelDialStatus.NoTunnel,
                    $"the control channel of proxy client \"{nodeName}\" is closed"));
            }

            return await pending.Result.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var status = cancellationToken.IsCancellationRequested || _stopping.IsCancellationRequested
                ? TunnelDialStatus.Canceled
                : TunnelDialStatus.TimedOut;
            var message = status == TunnelDialStatus.TimedOut
                ? $"proxy client \"{nodeName}\" did not connect to {DialCommand.FormatTarget(target)} within {_options.DialTimeout.TotalSeconds:0.###}s"
                : "the dial was canceled";
            // A stream that arrived at the same moment wins over the timeout.
            pending.TryComplete(TunnelDialResult.Failed(status, message));
            return await pending.Result.ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        // _stopping is never disposed: DialAsync may still link to it after shutdown, and it owns no timer.
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var stream in _streams.Keys)
        {
            stream.Abort();
        }

        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        kestrel.Limits.Http2.MaxStreamsPerConnection = _options.MaxStreamsPerConnection;
        kestrel.Limits.Http2.KeepAlivePingDelay = _options.KeepAlivePingDelay;
        kestrel.Limits.Http2.KeepAlivePingTimeout = _options.KeepAlivePingTimeout;
        kestrel.Limits.Http2.InitialStreamWindowSize = _options.StreamWindowSize;
        kestrel.Limits.Http2.InitialConnectionWindowSize = _options.ConnectionWindowSize;
        kestrel.Listen(_options.ListenEndPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
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

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var nodeName = request.Headers[TunnelProtocol.NodeHeader].ToString();
        var certificate = context.Connection.ClientCertificate;
        var refusal = !HttpMethods.IsPost(request.Method) ? "only POST is accepted"
            : !request.Protocol.Equals("HTTP/2", StringComparison.Ordinal) ? "HTTP/2 is required"
            : certificate is null ? "a client certificate is required"
            : ClientIdentity.Check(certificate, nodeName);
        if (refusal is not null)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, refusal).ConfigureAwait(false);
            return;
        }

        if (request.Path.Equals(TunnelProtocol.ControlPath, StringComparison.Ordinal))
        {
            await ServeControlAsync(context, nodeName).ConfigureAwait(false);
        }
        else if (TunnelProtocol.TryParseConnectPath(request.Path.Value ?? "", out var dialId))
        {
            await ServeConnectAsync(context, nodeName, dialId).ConfigureAwait(false);
        }
        else
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"no tunnel endpoint at {request.Path}").ConfigureAwait(false);
        }
    }

    private async Task ServeControlAsync(HttpContext context, string nodeName)
    {
        var version = context.Request.Headers[TunnelProtocol.VersionHeader].ToString();
        if (version != TunnelProtocol.Version)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest,
                $"protocol version \"{version}\" is not supported; this server speaks {TunnelProtocol.Version}").ConfigureAwait(false);
            return;
        }

        var session = new TunnelSession(nodeName, context, _registry.NextSequence());
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        _registry.Add(session);
        LogClientConnected(nodeName, context.Connection.RemoteIpAddress);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, _stopping.Token, session.Closed);
        try
        {
            // The client ends its (always empty) request body to leave; a reset, a dead connection or our own
            // shutdown end the wait as well.
            await WaitForEndOfBodyAsync(context.Request.Body, ended.Token).ConfigureAwait(false);
        }
        finally
        {
            _registry.Remove(session);
            await session.EndAsync().ConfigureAwait(false);
            LogClientDisconnected(nodeName);
        }
    }

    private async Task ServeConnectAsync(HttpContext context, string nodeName, long dialId)
    {
        if (!_pending.TryGetValue(dialId, out var pending) || pending.NodeName != nodeName)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound,
                $"dial {dialId} is unknown, expired, or not addressed to \"{nodeName}\"").ConfigureAwait(false);
            return;
        }

        var dialError = context.Request.Headers[TunnelProtocol.DialErrorHeader].ToString();
        if (dialError.Length > 0)
        {
            pending.TryComplete(TunnelDialResult.Failed(TunnelDialStatus.DialFailed, dialError));
            return;
        }

        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        var stream = new TunnelStream(context, nodeName, pending.Target);
        if (!pending.TryComplete(new TunnelDialResult(TunnelDialStatus.Connected, stream, null)))
        {
            context.Abort();
            return;
        }

        _streams[stream] = 0;
        try
        {
            using var aborted = context.RequestAborted.Register(static s => ((TunnelStream)s!).Abort(), stream);
            await stream.Closed.ConfigureAwait(false);
        }
        finally
        {
            _streams.TryRemove(stream, out _);
            // DisposeAsync may still hold this stream from its snapshot and abort it after we return.
            stream.End();
        }
    }

    private static async Task WaitForEndOfBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[64];
        try
        {
            while (await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
                // Nothing is defined for the control request body yet; ignore what a newer client may send.
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException
            or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // Session over either way.
        }
    }

    private static async Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason + "\n").ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tunnel server listening on {EndPoint}")]
    private partial void LogStarted(IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxy client {Node} connected from {Address}")]
    private partial void LogClientConnected(string node, IPAddress? address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxy client {Node} disconnected")]
    private partial void LogClientDisconnected(string node);
}
