using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Raven.Agent.Proxy.Certificates;

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
    private Task? _loop;
    private volatile bool _connected;

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

    public void Start() => _loop = Task.Run(RunAsync);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(backoff).ConfigureAwait(false);
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

    private async Task RunSessionAsync(Backoff backoff)
    {
        var certificate = _certificates.TunnelClientCertificate
            ?? throw new InvalidOperationException("no tunnel client certificate is available yet");
        using var invoker = new HttpMessageInvoker(CreateHandler(certificate));
        using var session = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var dials = new List<Task>();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, TunnelProtocol.ControlPath))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                // The control request body stays open and empty: the session lives as long as the response.
                Content = new PumpContent(WaitForeverAsync),
            };
            request.Headers.Add(TunnelProtocol.NodeHeader, _options.NodeName);
            request.Headers.Add(TunnelProtocol.VersionHeader, TunnelProtocol.Version);
            using var response = await invoker.SendAsync(request, session.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var reason = await response.Content.ReadAsStringAsync(session.Token).ConfigureAwait(false);
                throw new HttpRequestException($"server refused the tunnel ({(int)response.StatusCode}): {reason.Trim()}");
            }

            _connected = true;
            LastError = null;
            backoff.Reset();
            LogConnected(Server);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(session.Token).ConfigureAwait(false));
            while (await reader.ReadLineAsync(session.Token).ConfigureAwait(false) is { } line)
            {
                var command = DialCommand.TryParse(line, out var error);
                if (command is null)
                {
                    LogBadCommand(Server, error);
                    continue;
                }

                dials.RemoveAll(t => t.IsCompleted);
                dials.Add(EdgeDialer.ServeAsync(invoker, _baseUri, _options, command, _clock, session.Token));
            }
        }
        finally
        {
            _connected = false;
            await session.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(dials).ConfigureAwait(false);
        }
    }

    private static async Task<StreamCopyOutcome> WaitForeverAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tunnel to {Server}: ignoring control line: {Error}")]
    private partial void LogBadCommand(DnsEndPoint server, string? error);
}
