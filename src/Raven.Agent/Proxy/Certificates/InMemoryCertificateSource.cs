using System.Security.Cryptography.X509Certificates;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>An <see cref="ICertificateSource"/> whose certificates are set in code (tests, the lab).</summary>
public sealed class InMemoryCertificateSource : ICertificateSource
{
    private X509Certificate2? _server;
    private X509Certificate2? _proxyUser;
    private X509Certificate2? _tunnelClient;
    private X509Certificate2Collection _authorities = [];

    public X509Certificate2? ServerCertificate => Volatile.Read(ref _server);

    public X509Certificate2? ProxyUserCertificate => Volatile.Read(ref _proxyUser);

    public X509Certificate2? TunnelClientCertificate => Volatile.Read(ref _tunnelClient);

    public X509Certificate2Collection TrustedAuthorities => Volatile.Read(ref _authorities);

    public event EventHandler? Changed;

    public void Set(
        X509Certificate2Collection authorities,
        X509Certificate2? server = null,
        X509Certificate2? proxyUser = null,
        X509Certificate2? tunnelClient = null)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        Volatile.Write(ref _authorities, authorities);
        Volatile.Write(ref _server, server);
        Volatile.Write(ref _proxyUser, proxyUser);
        Volatile.Write(ref _tunnelClient, tunnelClient);
        Changed?.Invoke(this, EventArgs.Empty);
    }
}
