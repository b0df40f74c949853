using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Raven.ApiServer;

/// <summary>The server's own ECDSA P-256 CA: issues the serving certificate and signs approved CSRs.</summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Loads ca.crt / ca.key from <paramref name="dir"/> when present, otherwise creates (and saves there) a new CA.</summary>
    public static CertificateAuthority LoadOrCreate(string? dir, TimeProvider clock)
    {
        var certPath = dir is null ? null : Path.Combine(dir, "ca.crt");
        var keyPath = dir is null ? null : Path.Combine(dir, "ca.key");
        if (certPath is not null && File.Exists(certPath) && File.Exists(keyPath))
        {
            var loadedKey = ECDsa.Create();
            loadedKey.ImportFromPem(File.ReadAllText(keyPath!));
            return new CertificateAuthority(X509Certificate2.CreateFromPem(File.ReadAllText(certPath)), loadedKey);
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=raven-embedded-apiserver-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = clock.GetUtcNow();
        var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(certPath!, cert.ExportCertificatePem());
            File.WriteAllText(keyPath!, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath!, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new CertificateAuthority(cert, key);
    }

    /// <summary>A TLS serving certificate (with private key) for the given DNS names and IPs.</summary>
    public X509Certificate2 IssueServingCertificate(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=raven-embedded-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames) san.AddDnsName(dns);
        foreach (var ip in addresses) san.AddIpAddress(ip);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = clock.GetUtcNow();
        using var issued = Sign(request, now.AddMinutes(-5), now.AddYears(1));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux needs an exportable, re-imported key to serve it.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Signs a request with this CA (the request's own public key and extensions as given).</summary>
    public X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var serial = new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true, isBigEndian: true).ToByteArray(isUnsigned: true, isBigEndian: true);
        var end = notAfter > Certificate.NotAfter ? new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()) : notAfter;
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), notBefore, end, serial);
    }

    /// <summary>True when <paramref name="candidate"/> was issued by this CA and is currently valid.</summary>
    public bool Issued(X509Certificate2 candidate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(candidate);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
