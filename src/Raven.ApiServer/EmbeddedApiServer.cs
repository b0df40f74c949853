using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Raven.Kube.Observability;
using Raven.ApiServer.Auth;

namespace Raven.ApiServer;

/// <summary>
/// An in-memory, Kubernetes-compatible API server on Kestrel for the lab and the tests; the real kubectl can use it
/// through <see cref="WriteKubeconfig"/>.
/// </summary>
public sealed class EmbeddedApiServer : IAsyncDisposable
{
    private readonly EmbeddedApiServerOptions _options;
    private readonly ApiCore _core;
    private readonly ApiServerMetrics _metrics = new();
    private WebApplication? _app;
    private CancellationTokenSource _stopping = new();
    private X509Certificate2? _servingCertificate;

    public EmbeddedApiServer(EmbeddedApiServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var files = options.DataDir is null ? null : new FileObjectStorage(options.DataDir);
        CertificateAuthority = CertificateAuthority.LoadOrCreate(options.DataDir is null ? null : Path.Combine(options.DataDir, "pki"), options.Clock);
        Token = options.Https ? options.Token ?? LoadOrCreateToken(options.DataDir) : null;
        var store = new ObjectStore(options.WatchHistorySize, files, options.WatchHistoryBytes, options.WatcherQueueBytes);
        store.Load();
        _core = new ApiCore(store, new ResourceRegistry(), options.Hooks,
            new CsrSigner(CertificateAuthority, options.CertificateValidity, options.Clock), options.Clock)
        {
            MaxObjectBytes = options.MaxObjectBytes,
        };
        _core.Tokens = ServiceAccountTokens.LoadOrCreate(options.DataDir is null ? null : Path.Combine(options.DataDir, "pki"), options.Clock);
        _core.Authorizer = new RbacAuthorizer(_core);
        _core.Authenticator = new Authenticator(Token, _core.Tokens, _core);
        _core.Initialize();
    }

    /// <summary>What this server's /metrics serves (requests, durations, process and runtime series); its own registry,
    /// so several servers in one process keep their counts apart.</summary>
    public Prometheus.CollectorRegistry MetricsRegistry => _metrics.Registry;

    /// <summary>The CA that signs the serving certificate and approved CSRs.</summary>
    public CertificateAuthority CertificateAuthority { get; }

    public string CaCertificatePem => CertificateAuthority.CertificatePem;

    /// <summary>The bearer token clients must send over HTTPS; null in plain HTTP mode.</summary>
    public string? Token { get; }

    /// <summary>File name of the kubeconfig for the TCP listener, written by <see cref="WriteKubeconfigs"/>.</summary>
    public const string TcpKubeconfigName = "kubeconfig";

    /// <summary>File name of the kubeconfig for the Unix socket (unix:// server: Raven's client reads it, kubectl cannot).</summary>
    public const string UnixKubeconfigName = "kubeconfig-unix";

    /// <summary>
    /// The bound TCP URL, e.g. <c>http://127.0.0.1:41234</c>, or the socket's unix: URL when only a Unix socket is
    /// served; available after <see cref="StartAsync"/>.
    /// </summary>
    public Uri Url { get; private set; } = new("http://unstarted.invalid");

    /// <summary>True once started with a TCP listener.</summary>
    public bool ServesTcp { get; private set; }

    /// <summary>The socket's URL as kubeconfigs write it, <c>unix:///path</c> (percent-escaped), or null without a Unix socket.</summary>
    public string? UnixSocketUrl => _options.UnixSocketPath is { } socket ? UnixUrl(socket) : null;

    public CustomResourceHookRegistry Hooks => _options.Hooks;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null) throw new InvalidOperationException("the server is already started");
        if (_options.Listen is null && _options.UnixSocketPath is null) throw new InvalidOperationException("configure a TCP endpoint, a Unix socket or both");
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddComponentHostLifetime();
        if (_options.Https && _options.Listen is not null) _servingCertificate = IssueServingCertificate(_options.Listen.Address);
        builder.WebHost.UseKestrel(kestrel =>
        {
            // The handler enforces MaxRequestBodyBytes itself (so the client still gets its 413); Kestrel only cuts off the absurd.
            kestrel.Limits.MaxRequestBodySize = Math.Max(RequestBody.HardLimit, _options.MaxRequestBodyBytes);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(_options.MinRequestBodyRate.BytesPerSecond, _options.MinRequestBodyRate.Grace);
            // client-go multiplexes every watch of a process over one HTTP/2 connection.
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            if (_options.Listen is { } endpoint)
            {
                kestrel.Listen(endpoint, listen =>
                {
                    if (_servingCertificate is null)
                    {
                        listen.Protocols = HttpProtocols.Http1;
                        return;
                    }

                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = _servingCertificate,
                        ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                        ClientCertificateValidation = (cert, _, _) => CertificateAuthority.Issued(cert),
                    });
                });
            }

            if (_options.UnixSocketPath is { } socket)
            {
                File.Delete(socket);
                kestrel.ListenUnixSocket(socket, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        var handler = new ApiHandler(_core, new WatchStream(_core, _options.BookmarkInterval, _stopping.Token), _core.Authenticator!, _core.Authorizer!,
            _options.MaxRequestBodyBytes, _metrics);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var tcp = addresses.FirstOrDefault(a => !a.Contains("unix:", StringComparison.Ordinal));
        ServesTcp = tcp is not null;
        Url = tcp is not null
            ? new Uri(tcp.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal))
            : new Uri(UnixSocketUrl!);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_app is null) return;
        // Open watches would otherwise hold shutdown until Kestrel's timeout; ending them lets clients re-list elsewhere.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _app = null;
        _stopping.Dispose();
        _stopping = new CancellationTokenSource();
    }

    /// <summary>
    /// The kubeconfig text for the TCP listener (CA and token included in HTTPS mode), or for the Unix socket when that
    /// is the only listener.
    /// </summary>
    public string Kubeconfig() => ServesTcp || UnixSocketUrl is null ? TcpKubeconfig() : UnixSocketKubeconfig();

    /// <summary>The kubeconfig for the Unix socket: plain HTTP, no credentials (file permissions guard the socket).</summary>
    public string UnixSocketKubeconfig() =>
        Raven.ApiServer.Kubeconfig.Render(UnixSocketUrl ?? throw new InvalidOperationException("the server has no Unix socket"), null, null);

    private string TcpKubeconfig() => Raven.ApiServer.Kubeconfig.Render(Url.ToString().TrimEnd('/'), _servingCertificate is null ? null : CaCertificatePem, Token);

    public void WriteKubeconfig(string path) => Write(path, Kubeconfig());

    /// <summary>
    /// Writes one kubeconfig per listener into <paramref name="directory"/>: <see cref="TcpKubeconfigName"/> for TCP and
    /// <see cref="UnixKubeconfigName"/> for the Unix socket. Returns the paths written, TCP first.
    /// </summary>
    public IReadOnlyList<string> WriteKubeconfigs(string directory)
    {
        var written = new List<string>();
        if (ServesTcp)
        {
            written.Add(Path.Combine(directory, TcpKubeconfigName));
            Write(written[^1], TcpKubeconfig());
        }

        if (UnixSocketUrl is not null)
        {
            written.Add(Path.Combine(directory, UnixKubeconfigName));
            Write(written[^1], UnixSocketKubeconfig());
        }

        return written;
    }

    /// <summary>An HTTP client for the first listener (TCP with the server's CA and token, else the Unix socket).</summary>
    public HttpClient CreateHttpClient()
    {
        if (!ServesTcp && UnixSocketUrl is { } unix)
        {
            var socketPath = new Uri(unix).LocalPath;
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                        return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
        }

        var tcp = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && CertificateAuthority.Issued(cert),
        };
        var http = new HttpClient(tcp) { BaseAddress = Url };
        if (Token is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    // System.Uri prints an empty authority as "unix:/path"; kubeconfigs and other clients expect "unix:///path".
    private static string UnixUrl(string socket) =>
        "unix://" + string.Join('/', Path.GetFullPath(socket).Split('/').Select(Uri.EscapeDataString));

    private static void Write(string path, string text)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _servingCertificate?.Dispose();
        CertificateAuthority.Dispose();
    }

    private X509Certificate2 IssueServingCertificate(IPAddress listen)
    {
        var dns = new List<string> { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc" };
        var ips = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any) && !ips.Contains(listen)) ips.Add(listen);
        foreach (var name in _options.ServingNames)
        {
            if (IPAddress.TryParse(name, out var ip)) ips.Add(ip);
            else dns.Add(name);
        }

        return CertificateAuthority.IssueServingCertificate(dns, ips, _options.Clock);
    }

    private static string LoadOrCreateToken(string? dataDir)
    {
        var path = dataDir is null ? null : Path.Combine(dataDir, "pki", "token");
        if (path is not null && File.Exists(path)) return File.ReadAllText(path).Trim();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, token);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return token;
    }
}
