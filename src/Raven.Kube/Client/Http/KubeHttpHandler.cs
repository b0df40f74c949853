using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Raven.Kube.Client.Config;

namespace Raven.Kube.Client.Http;

/// <summary>Builds the transport for a configuration: TLS trust and client certificate, or a Unix-socket connector.</summary>
public static class KubeHttpHandler
{
    public static SocketsHttpHandler Create(KubeClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Watches are long-lived; without this each one would hold one of a small default pool.
            MaxConnectionsPerServer = int.MaxValue,
            UseProxy = false,
        };

        if (config.UnixSocketPath is { } socketPath)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(socketPath, cancellationToken);
            return handler;
        }

        if (config.ClientCertificate is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (config.InsecureSkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (config.CaCertificates.Count > 0 || !string.IsNullOrEmpty(config.TlsServerName))
        {
            var roots = config.CaCertificates;
            var serverName = string.IsNullOrEmpty(config.TlsServerName) ? null : config.TlsServerName;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateServer(roots, serverName, certificate, errors);
        }

        return handler;
    }

    /// <summary>
    /// Checks the server certificate: its name against <paramref name="serverName"/> (kubeconfig tls-server-name) or
    /// the URL host, and its chain against <paramref name="roots"/> only, or the system store when none are given.
    /// </summary>
    public static bool ValidateServer(X509Certificate2Collection roots, string? serverName, X509Certificate? certificate, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        var nameMatches = serverName is null
            ? (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
            : leaf.MatchesHostname(serverName);
        if (!nameMatches)
        {
            return false;
        }

        if (roots.Count == 0)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        return chain.Build(leaf);
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
