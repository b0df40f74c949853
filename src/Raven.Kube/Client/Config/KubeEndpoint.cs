using k8s;

namespace Raven.Kube.Client.Config;

/// <summary>
/// Where and who, as the official client's configuration, plus what it cannot express itself: a Unix-socket server
/// (unix:///path), which the client reaches through a plain-HTTP connection on that socket.
/// </summary>
public sealed class KubeEndpoint
{
    private KubeEndpoint(KubernetesClientConfiguration configuration, string? unixSocketPath, string server, string source)
    {
        Configuration = configuration;
        UnixSocketPath = unixSocketPath;
        Server = server;
        Source = source;
    }

    /// <summary>The library's configuration; for a Unix socket its Host is a placeholder http://localhost.</summary>
    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>The socket of a unix:// server, else null.</summary>
    public string? UnixSocketPath { get; }

    /// <summary>The server as the operator configured it (https://host:port or unix:///path), for messages.</summary>
    public string Server { get; }

    /// <summary>Where the configuration came from (a kubeconfig path, "in-cluster"), for messages.</summary>
    public string Source { get; }

    public const string UnixScheme = "unix://";

    /// <summary>Wraps a library configuration; a unix:// Host is turned into the socket path and a placeholder URL.</summary>
    public static KubeEndpoint From(KubernetesClientConfiguration configuration, string source)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var host = configuration.Host?.Trim() ?? "";
        if (!host.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase))
        {
            return new KubeEndpoint(configuration, null, host.TrimEnd('/'), source);
        }

        var path = Uri.UnescapeDataString(host[UnixScheme.Length..]);
        if (path.Length <= 1 || path[0] != '/')
        {
            throw new k8s.Exceptions.KubeConfigException($"{source}: server '{host}' names no socket path (expected unix:///path/to/socket)");
        }

        configuration.Host = "http://localhost";
        return new KubeEndpoint(configuration, path.TrimEnd('/'), UnixScheme + path.TrimEnd('/'), source);
    }

    /// <summary>A server without credentials: http(s)://host:port or unix:///path (tests, the lab's Unix socket).</summary>
    public static KubeEndpoint ForServer(string server) =>
        From(new KubernetesClientConfiguration { Host = server }, server);
}
