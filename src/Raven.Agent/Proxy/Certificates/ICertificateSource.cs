using System.Security.Cryptography.X509Certificates;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>
/// Where the proxy gets its certificates. The integrator backs this with the CSR-based certificate manager
/// (raven-proxy-server, raven-proxy-user, raven-proxy-client) and the cluster CA; tests use
/// <see cref="InMemoryCertificateSource"/>. Properties are read at every TLS handshake, so a rotated certificate
/// is used by the next connection without a restart.
/// </summary>
public interface ICertificateSource
{
    /// <summary>Serving certificate of the proxy server (ports 10262 and 10263), with its private key.</summary>
    X509Certificate2? ServerCertificate { get; }

    /// <summary>Client certificate the server presents to kubelets and other HTTPS targets (CN tunnel-proxy-client).</summary>
    X509Certificate2? ProxyUserCertificate { get; }

    /// <summary>Client certificate the edge proxy client presents to the proxy server (CN tunnel-agent-client).</summary>
    X509Certificate2? TunnelClientCertificate { get; }

    /// <summary>The authorities that issue every certificate above (the cluster CA). Peers must chain to one.</summary>
    X509Certificate2Collection TrustedAuthorities { get; }

    /// <summary>Raised after any certificate or authority changed.</summary>
    event EventHandler? Changed;
}
