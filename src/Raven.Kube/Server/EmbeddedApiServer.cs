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

namespace Raven.Kube.Server;

/// <summary>
/// An in-memory, Kubernetes-compatible API server on Kestrel for the lab and the tests; the real kubectl can use it
/// through <see cref="WriteKubeconfig"/>.
/// </summary>
public sealed class EmbeddedApiServer : IAsyncDisposable
{
    private readonly EmbeddedApiServerOptions _options;
    private readonly ApiCore _core;
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
        var store = new ObjectStore(options.WatchHistorySize, files);
        store.Load();
        _core = new ApiCore(store, new ResourceRegistry(), options.Hooks,
            new CsrSigner(CertificateAuthority, options.CertificateValidity, options.Clock), options.Clock);
        _core.Initialize();
    }

    /// <summary>The CA that signs the serving certificate and approved CSRs.</summary>
    public CertificateAuthority CertificateAuthority { get; }

    public string CaCertificatePem => CertificateAuthority.CertificatePem;

    /// <summary>The bearer token clients must send over HTTPS; null in plain HTTP mode.</summary>
    public string? Token { get; }

    /// <summary>The bound TCP URL, e.g. <c>http://127.0.0.1:41234</c>; available after <see cref="StartAsync"/>.</summary>
    public Uri Url { get; private set; } = new("http://unstarted.invalid");

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
            kestrel.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
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
        var handler = new ApiHandler(_core, new WatchStream(_core, _options.BookmarkInterval, _stopping.Token), Authenticate);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var tcp = addresses.FirstOrDefault(a => !a.Contains("unix:", StringComparison.Ordinal));
        if (tcp is not null) Url = new Uri(tcp.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
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

    /// <summary>The kubeconfig text for this server (CA and token included in HTTPS mode).</summary>
    public string Kubeconfig() => Server.Kubeconfig.Render(Url.ToString().TrimEnd('/'), _servingCertificate is null ? null : CaCertificatePem, Token);

    public void WriteKubeconfig(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, Kubeconfig());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _servingCertificate?.Dispose();
        CertificateAuthority.Dispose();
    }

    private bool Authenticate(HttpContext ctx)
    {
        if (Token is null || !ctx.Request.IsHttps) return true;
        if (ctx.Connection.ClientCertificate is not null) return true;
        var header = ctx.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) &&
            CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(header[7..].Trim()), System.Text.Encoding.UTF8.GetBytes(Token));
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
