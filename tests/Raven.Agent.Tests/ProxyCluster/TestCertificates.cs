using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Raven.Agent.Proxy.Certificates;

namespace Raven.Agent.Tests.ProxyCluster;

/// <summary>A throwaway CA issuing proxy certificates with chosen lifetimes and SANs.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "test-ca")
    {
        var request = new CertificateRequest("CN=" + name, _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(10));
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2Collection Authorities => [Ca];

    /// <summary>Issues <paramref name="profile"/>'s subject; returns the PEM and its key.</summary>
    public (string Pem, ECDsa Key, X509Certificate2 Certificate) Issue(ProxyCertificateProfile profile, DateTimeOffset notBefore,
        DateTimeOffset notAfter, CertificateSans? sans = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(profile.Subject(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [profile.IsServer ? CertificateTrust.ServerAuth : CertificateTrust.ClientAuth], false));
        if (sans?.ToExtension() is { } extension)
        {
            request.CertificateExtensions.Add(extension);
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(Ca, notBefore, notAfter, serial);
        var pem = issued.ExportCertificatePem();
        return (pem, key, X509Certificate2.CreateFromPem(pem));
    }

    public static CertificateSans Sans(params string[] items) => new(
        items.Where(i => IPAddress.TryParse(i, out _)).Select(IPAddress.Parse),
        items.Where(i => !IPAddress.TryParse(i, out _)));

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }
}
