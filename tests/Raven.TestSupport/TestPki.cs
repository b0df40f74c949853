using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Raven.Agent.Proxy.Certificates;

namespace Raven.TestSupport;

/// <summary>
/// The one test PKI: a throwaway in-memory CA issuing the proxy's certificates (server, proxy user, tunnel client),
/// certificates with chosen lifetimes and SANs as PEM, and CSRs for the API server's signer.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestPki(string name = "raven-test-ca")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        // Wide enough for every lifetime a test issues, renewal tests included.
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(10));
    }

    public X509Certificate2 Authority { get; }

    /// <summary>A fresh copy of the CA certificate (no key), so a caller may dispose it.</summary>
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

    /// <summary>A leaf certificate with its private key, valid from yesterday for ten days, ready for TLS.</summary>
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
        return WithKey(issued, key);
    }

    /// <summary>Issues <paramref name="profile"/>'s subject for the given lifetime; returns the PEM, its key and the parsed certificate.</summary>
    public (string Pem, ECDsa Key, X509Certificate2 Certificate) Issue(ProxyCertificateProfile profile, DateTimeOffset notBefore,
        DateTimeOffset notAfter, CertificateSans? sans = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(profile.Subject(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [profile.IsServer ? CertificateTrust.ServerAuth : CertificateTrust.ClientAuth], false));
        if (sans?.ToExtension() is { } extension)
        {
            request.CertificateExtensions.Add(extension);
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(Authority, notBefore, notAfter, serial);
        var pem = issued.ExportCertificatePem();
        return (pem, key, X509Certificate2.CreateFromPem(pem));
    }

    /// <summary>SANs from a mixed list: what parses as an IP address is one, the rest are DNS names.</summary>
    public static CertificateSans Sans(params string[] items) => new(
        items.Where(i => IPAddress.TryParse(i, out _)).Select(IPAddress.Parse),
        items.Where(i => !IPAddress.TryParse(i, out _)));

    /// <summary>A PEM PKCS#10 request for <paramref name="subject"/> with a fresh P-256 key (the key is thrown away).</summary>
    public static string SigningRequestPem(string subject) => SigningRequest(subject).CreateSigningRequestPem();

    /// <summary>A request for <paramref name="subject"/>, with the optional extended key usage, for a CA that signs it in process.</summary>
    public static CertificateRequest SigningRequest(string subject, ECDsa? key = null, Oid? usage = null) =>
        SigningRequest(new X500DistinguishedName(subject), key, usage);

    /// <inheritdoc cref="SigningRequest(string, ECDsa?, Oid?)"/>
    public static CertificateRequest SigningRequest(X500DistinguishedName subject, ECDsa? key = null, Oid? usage = null)
    {
        var request = new CertificateRequest(subject, key ?? ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256);
        if (usage is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        }

        return request;
    }

    /// <summary>The issued certificate joined with its key and re-imported, so SslStream can use the key on every platform.</summary>
    public static X509Certificate2 WithKey(X509Certificate2 issued, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(issued);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
    }
}
