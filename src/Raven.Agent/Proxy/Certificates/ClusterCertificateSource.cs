using System.Security.Cryptography.X509Certificates;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>
/// The proxy's certificates from three <see cref="CsrCertificateManager"/>s (any may be absent while its role is not
/// needed) and the cluster CA. Raises <see cref="Changed"/> whenever a manager rotates its certificate.
/// </summary>
public sealed class ClusterCertificateSource : ICertificateSource
{
    private CsrCertificateManager? _server;
    private CsrCertificateManager? _proxyUser;
    private CsrCertificateManager? _tunnelClient;

    public ClusterCertificateSource(X509Certificate2Collection authorities)
    {
        TrustedAuthorities = authorities ?? throw new ArgumentNullException(nameof(authorities));
    }

    public X509Certificate2? ServerCertificate => Volatile.Read(ref _server)?.Current;

    public X509Certificate2? ProxyUserCertificate => Volatile.Read(ref _proxyUser)?.Current;

    public X509Certificate2? TunnelClientCertificate => Volatile.Read(ref _tunnelClient)?.Current;

    public X509Certificate2Collection TrustedAuthorities { get; }

    public event EventHandler? Changed;

    public CsrCertificateManager? Server => Volatile.Read(ref _server);

    public CsrCertificateManager? ProxyUser => Volatile.Read(ref _proxyUser);

    public CsrCertificateManager? TunnelClient => Volatile.Read(ref _tunnelClient);

    /// <summary>Plugs in the manager for its profile (once); its rotations raise <see cref="Changed"/>.</summary>
    public void Attach(CsrCertificateManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ref var slot = ref manager.Profile == ProxyCertificateProfile.Server ? ref _server
            : ref manager.Profile == ProxyCertificateProfile.ProxyUser ? ref _proxyUser : ref _tunnelClient;
        if (Interlocked.CompareExchange(ref slot, manager, null) is not null)
        {
            throw new InvalidOperationException($"a {manager.Profile.FilePrefix} certificate manager is already attached");
        }

        manager.Changed += (_, _) => Changed?.Invoke(this, EventArgs.Empty);
    }
}
