using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Raven.Agent.Proxy.Certificates;

namespace Raven.Bench.Proxy;

/// <summary>An in-process CA and the certificates the proxy needs, all in memory.</summary>
internal sealed class BenchPki
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public BenchPki(string name = "raven-bench-ca")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2Collection Authorities => [X509CertificateLoader.LoadCertificate(Authority.RawData)];

    public X509Certificate2 Server() => Issue("CN=system:node:tunnel-proxy-server, O=system:nodes", CertificateTrust.ServerAuth,
        dnsNames: ["localhost"], ips: [IPAddress.Loopback]);

    public X509Certificate2 ProxyUser() => Issue("CN=tunnel-proxy-client, O=openyurt:yurttunnel", CertificateTrust.ClientAuth);

    public X509Certificate2 TunnelClient(string nodeName) =>
        Issue("CN=tunnel-agent-client, O=openyurt:yurttunnel", CertificateTrust.ClientAuth, dnsNames: [nodeName]);

    public InMemoryCertificateSource Source(X509Certificate2? tunnelClient = null)
    {
        var source = new InMemoryCertificateSource();
        source.Set(Authorities, Server(), ProxyUser(), tunnelClient);
        return source;
    }

    public X509Certificate2 Issue(string subject, Oid usage, string[]? dnsNames = null, IPAddress[]? ips = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (dnsNames is not null || ips is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in dnsNames ?? [])
            {
                san.AddDnsName(dns);
            }

            foreach (var ip in ips ?? [])
            {
                san.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Re-import so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
