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
    private long _hedgedDials;

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

    /// <summary>Dials that asked another client because the first stayed silent for the hedge delay (a metric).</summary>
    public long HedgedDials => Interlocked.Read(ref _hedgedDials);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _app = KestrelHost.Build(ConfigureKestrel, HandleAsync, _options.ShutdownTimeout);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        LocalEndPoint = KestrelHost.EndPoint(KestrelHost.Addresses(_app)[0]);
        LogStarted(LocalEndPoint);
    }

    /// <summary>Asks the proxy client <paramref name="nodeName"/> to connect to <paramref name="target"/>.</summary>
    public Task<TunnelDialResult> DialAsync(string nodeName, DnsEndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        return DialAsync([nodeName], target, cancellationToken);
    }

    /// <summary>
    /// Asks one of the proxy clients <paramref name="nodeNames"/> (a domain's proxy gateways, in order of preference)
    /// to connect to <paramref name="target"/>. The dial goes to one session; when that session ends before answering,
    /// the next is asked at once, and when it stays silent for <see cref="TunnelServerOptions.HedgeDelay"/> the next
    /// is asked as well (a dead client host whose connection still looks open). The first stream wins; the others
    /// are reset. Sessions that stayed silent before are asked last. A client that answers with a dial error ends the
    /// dial: the target refused, and another client of the same domain would reach the same target.
    /// </summary>
    public async Task<TunnelDialResult> DialAsync(IReadOnlyList<string> nodeNames, DnsEndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeNames);
        ArgumentNullException.ThrowIfNull(target);
        var who = nodeNames.Count == 1 ? $"proxy client \"{nodeNames[0]}\"" : $"proxy clients {string.Join(", ", nodeNames)}";
        var sessions = DialOrder(nodeNames);
        if (sessions.Count == 0)
        {
            return TunnelDialResult.Failed(TunnelDialStatus.NoTunnel, nodeNames.Count == 1 ? $"{who} is not connected" : $"none of the {who} is connected");
        }

        var attempts = new List<DialAttempt>();
        TunnelDialResult? outcome = null;
        using var timeout = new CancellationTokenSource(_options.DialTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken, _stopping.Token);
        try
        {
            outcome = await RaceAsync(sessions, target, attempts, who, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var status = cancellationToken.IsCancellationRequested || _stopping.IsCancellationRequested
                ? TunnelDialStatus.Canceled
                : TunnelDialStatus.TimedOut;
            var message = status == TunnelDialStatus.TimedOut
                ? $"{who} did not connect to {DialCommand.FormatTarget(target)} within {_options.DialTimeout.TotalSeconds:0.###}s"
                : "the dial was canceled";
            // A stream that arrived at the same moment wins over the timeout.
            outcome = attempts.Select(a => a.Pending.Result).FirstOrDefault(r => r.IsCompletedSuccessfully
                && r.Result.Status == TunnelDialStatus.Connected)?.Result ?? TunnelDialResult.Failed(status, message);
        }
        finally
        {
            foreach (var attempt in attempts)
            {
                attempt.Dispose();
                _pending.TryRemove(attempt.Id, out _);
                // Close the door on late streams; one that made it already but lost the race is reset.
                if (!attempt.Pending.TryComplete(TunnelDialResult.Failed(TunnelDialStatus.Canceled, "another attempt won"))
                    && attempt.Pending.Result.Result.Stream is { } stream && !ReferenceEquals(stream, outcome?.Stream))
                {
                    stream.Abort();
                }
            }
        }

        return outcome;
    }

    private async Task<TunnelDialResult> RaceAsync(IReadOnlyList<TunnelSession> sessions, DnsEndPoint target,
        List<DialAttempt> attempts, string who, CancellationToken cancellationToken)
    {
        var next = 0;
        var launch = true;
        TunnelDialResult? lastFailure = null;
        while (true)
        {
            while (launch && next < sessions.Count)
            {
                var session = sessions[next++];
                var attempt = new DialAttempt(Interlocked.Increment(ref _nextDialId), session, target);
                _pending[attempt.Id] = attempt.Pending;
                attempts.Add(attempt);
                if (await session.SendAsync(new DialCommand(attempt.Id, target), cancellationToken).ConfigureAwait(false))
                {
                    launch = false;
                }
                else
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    attempt.Settled = true;
                    lastFailure = TunnelDialResult.Failed(TunnelDialStatus.NoTunnel, $"the control channel of proxy client \"{session.NodeName}\" is closed");
                }
            }

            var open = attempts.Where(a => !a.Settled).ToList();
            if (open.Count == 0)
            {
                return lastFailure ?? TunnelDialResult.Failed(TunnelDialStatus.NoTunnel, $"none of the {who} is connected");
            }

            var waits = open.Select(a => (Task)a.Pending.Result).ToList();
            var hedge = next < sessions.Count ? Task.Delay(_options.HedgeDelay, _clock, cancellationToken) : null;
            if (hedge is not null)
            {
                waits.Add(hedge);
            }

            var finished = await Task.WhenAny(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (finished == hedge)
            {
                await hedge.ConfigureAwait(false);
                open[^1].Session.Unresponsive = true;
                Interlocked.Increment(ref _hedgedDials);
                launch = true;
                continue;
            }

            var answered = open.First(a => a.Pending.Result == finished);
            answered.Settled = true;
            var result = await answered.Pending.Result.ConfigureAwait(false);
            if (result.Status is TunnelDialStatus.Connected or TunnelDialStatus.DialFailed)
            {
                return result;
            }

            // Its session ended before it answered: replace it at once.
            lastFailure = result;
            launch = true;
        }
    }

    /// <summary>Every session of <paramref name="nodeNames"/>: each node's newest first, older ones (a restarted
    /// client's old connection) after every node's newest, silent ones last; otherwise in the caller's order.</summary>
    private List<TunnelSession> DialOrder(IReadOnlyList<string> nodeNames) =>
        nodeNames.Distinct(StringComparer.Ordinal)
            .SelectMany((name, node) => _registry.Get(name).Select((session, age) => (session, age, node)))
            .OrderBy(s => s.session.Unresponsive).ThenBy(s => s.age).ThenBy(s => s.node)
            .Select(s => s.session).ToList();

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
        // Any answer shows the client's host is alive, even a late one.
        _registry.MarkResponsive(nodeName, context.Connection.Id);
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
