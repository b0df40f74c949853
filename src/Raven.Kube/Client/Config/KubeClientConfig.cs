using System.Reflection;
using System.Security.Cryptography.X509Certificates;

namespace Raven.Kube.Client.Config;

/// <summary>Everything needed to reach and authenticate to one API server, however it was configured.</summary>
public sealed class KubeClientConfig
{
    /// <summary>https://host:port[/prefix], http://..., or unix:///path/to/socket.</summary>
    public required Uri Server { get; init; }

    /// <summary>The context's namespace (or the service account's namespace in-cluster), if any.</summary>
    public string? Namespace { get; init; }

    /// <summary>Trusted roots for the server certificate; empty = the system store.</summary>
    public X509Certificate2Collection CaCertificates { get; init; } = [];

    public X509Certificate2? ClientCertificate { get; init; }

    public ITokenSource? Token { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Name to verify the server certificate against instead of the URL host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Sustained requests per second (token bucket refill); 0 or less disables limiting.</summary>
    public double Qps { get; init; } = 50;

    /// <summary>Requests allowed at once before the QPS limit applies.</summary>
    public int Burst { get; init; } = 100;

    /// <summary>Limit for one non-watch request (a watch only has this long to send its headers).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary>The socket path for unix:// servers, else null.</summary>
    public string? UnixSocketPath =>
        Server.Scheme == "unix" ? Uri.UnescapeDataString(Server.AbsolutePath) : null;

    /// <summary>What request URIs are built on: http://localhost for a Unix socket, else the server URL.</summary>
    public string BaseAddress => UnixSocketPath is null ? Server.GetLeftPart(UriPartial.Path).TrimEnd('/') : "http://localhost";

    /// <summary>raven/&lt;informational version without build metadata&gt;.</summary>
    public static string DefaultUserAgent { get; } = "raven/" + Version();

    private static string Version()
    {
        var version = typeof(KubeClientConfig).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
