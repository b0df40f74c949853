using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Raven.Agent.Proxy.Certificates;
using Raven.Kube.Resilience;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>The proxy client's link to one proxy server replica: keeps a control session open, reconnecting with
/// backoff, and serves the server's dial commands.</summary>
internal sealed partial class TunnelClientConnection : IAsyncDisposable
{
    private readonly TunnelClientOptions _options;
    private readonly ICertificateSource _certificates;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Uri _baseUri;
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);
    private readonly List<Task> _draining = [];
    private Task? _loop;
    private CancellationTokenSource? _control;
    private volatile bool _connected;
    private volatile bool _rotationRequested;
    private volatile string? _sessionThumbprint;

    public TunnelClientConnection(DnsEndPoint server, TunnelClientOptions options, ICertificateSource certificates,
        TimeProvider clock, ILogger logger)
    {
        Server = server;
        _options = options;
        _certificates = certificates;
        _clock = clock;
        _logger = logger;
        _baseUri = new Uri($"https://{DialCommand.FormatTarget(server)}/");
    }

    public DnsEndPoint Server { get; }

    public bool IsConnected => _connected;

    public string? LastError { get; private set; }

    public void Start()
    {
        _certificates.Changed += OnCertificatesChanged;
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        _certificates.Changed -= OnCertificatesChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        Task[] draining;
        lock (_draining)
        {
            draining = [.. _draining];
        }

        await Task.WhenAll(draining).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, BackoffJitter.TwentyPercent);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (await RunSessionAsync(backoff).ConfigureAwait(false))
                {
                    LogRotating(Server);
                    continue;
                }

                LastError = "the server ended the session";
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException
                or InvalidOperationException or System.Security.Authentication.AuthenticationException)
            {
                LastError = ex.Message;
            }

            _connected = false;
            if (_stop.IsCancellationRequested)
            {
                break;
            }

            var delay = backoff.Next();
            LogReconnecting(Server, LastError, delay);
            try
            {
                await Task.Delay(delay, _clock, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Runs one session. Returns true when it ended because the client certificate changed: the caller
    /// reconnects at once, while streams already open finish on the old connection.</summary>
    private async Task<bool> RunSessionAsync(Backoff backoff)
    {
        var certificate = _certificates.TunnelClientCertificate
            ?? throw new InvalidOperationException("no tunnel client certificate is available yet");
        var invoker = new HttpMessageInvoker(CreateHandler(certificate));
        var streams = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        // Cancelling control ends only the control request body; streams ends everything on this connection.
        using var control = CancellationTokenSource.CreateLinkedTokenSource(streams.Token);
        var dials = new List<Task>();
        var rotated = false;
        _sessionThumbprint = certificate.Thumbprint;
        Volatile.Write(ref _control, control);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, TunnelProtocol.ControlPath))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                // The control request body stays open and empty: the session lives as long as the response.
                // Ending it (certificate rotation) asks the server to end the session gracefully.
                Content = new PumpContent((_, token) => WaitUntilCanceledAsync(token, control.Token)),
            };
            request.Headers.Add(TunnelProtocol.NodeHeader, _options.NodeName);
            request.Headers.Add(TunnelProtocol.VersionHeader, TunnelProtocol.Version);
            using var response = await invoker.SendAsync(request, streams.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var reason = await response.Content.ReadAsStringAsync(streams.Token).ConfigureAwait(false);
                throw new HttpRequestException($"server refused the tunnel ({(int)response.StatusCode}): {reason.Trim()}");
            }

            _connected = true;
            LastError = null;
            backoff.Reset();
            LogConnected(Server);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(streams.Token).ConfigureAwait(false));
            while (await reader.ReadLineAsync(streams.Token).ConfigureAwait(false) is { } line)
            {
                var command = DialCommand.TryParse(line, out var error);
                if (command is null)
                {
                    LogBadCommand(Server, error);
                    continue;
                }

                dials.RemoveAll(t => t.IsCompleted);
                dials.Add(EdgeDialer.ServeAsync(invoker, _baseUri, _options, command, _clock, streams.Token));
            }
        }
        catch (OperationCanceledException) when (_rotationRequested && !_stop.IsCancellationRequested)
        {
            // Ended for the new certificate; handled below.
        }
        finally
        {
            // The server may also end the control stream gracefully in answer to our cancel: still a rotation.
            rotated = _rotationRequested && !_stop.IsCancellationRequested;
            _connected = false;
            _rotationRequested = false;
            Volatile.Write(ref _control, null);
            await control.CancelAsync().ConfigureAwait(false);
            if (!rotated)
            {
                await streams.CancelAsync().ConfigureAwait(false);
            }

            var drain = DrainAsync(dials, invoker, streams);
            if (rotated)
            {
                lock (_draining)
                {
                    _draining.Add(drain);
                }
            }
            else
            {
                await drain.ConfigureAwait(false);
            }
        }

        return rotated;
    }

    private async Task DrainAsync(List<Task> dials, HttpMessageInvoker invoker, CancellationTokenSource streams)
    {
        await Task.WhenAll(dials).ConfigureAwait(false);
        if (!streams.IsCancellationRequested)
        {
            // A finished stream's last frames may still sit in the connection's send queue, and disposing the
            // handler aborts the connection: let them go out first.
            try
            {
                await Task.Delay(DrainGrace, _clock, streams.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: nothing left to protect.
            }
        }

        invoker.Dispose();
        streams.Dispose();
        lock (_draining)
        {
            _draining.RemoveAll(t => t.IsCompleted);
        }
    }

    private void OnCertificatesChanged(object? sender, EventArgs e)
    {
        if (_certificates.TunnelClientCertificate?.Thumbprint is not { } thumbprint || thumbprint == _sessionThumbprint)
        {
            return;
        }

        _rotationRequested = true;
        try
        {
            Volatile.Read(ref _control)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session just ended on its own; the next one uses the new certificate anyway.
        }
    }

    private static async Task<StreamCopyOutcome> WaitUntilCanceledAsync(CancellationToken request, CancellationToken session)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(request, session);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Session over.
        }

        return new StreamCopyOutcome(StreamCopyResult.Success, 0, TimeSpan.Zero, null);
    }

    private SocketsHttpHandler CreateHandler(X509Certificate2 certificate) => new()
    {
        SslOptions =
        {
            ClientCertificates = [certificate],
            RemoteCertificateValidationCallback = CertificateTrust.ServerValidator(_certificates),
        },
        ConnectTimeout = _options.ConnectTimeout,
        KeepAlivePingDelay = _options.KeepAlivePingDelay,
        KeepAlivePingTimeout = _options.KeepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        InitialHttp2StreamWindowSize = _options.StreamWindowSize,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ActivityHeadersPropagator = null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Tunnel to {Server} connected")]
    private partial void LogConnected(DnsEndPoint server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tunnel to {Server} down ({Reason}); reconnecting in {Delay}")]
    private partial void LogReconnecting(DnsEndPoint server, string? reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tunnel to {Server}: client certificate changed, reconnecting")]
    private partial void LogRotating(DnsEndPoint server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tunnel to {Server}: ignoring control line: {Error}")]
    private partial void LogBadCommand(DnsEndPoint server, string? error);
}
