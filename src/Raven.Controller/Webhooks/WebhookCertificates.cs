using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Raven.Controller.Webhooks;

/// <summary>
/// The serving certificate's files in the cert-manager / kubernetes.io/tls Secret layout, and a self-signed
/// CA plus serving certificate for clusters without cert-manager.
/// </summary>
public static class WebhookCertificates
{
    public const string CertFile = "tls.crt";
    public const string KeyFile = "tls.key";
    public const string CaFile = "ca.crt";

    public static bool HasServingFiles(string dir) =>
        File.Exists(Path.Combine(dir, CertFile)) && File.Exists(Path.Combine(dir, KeyFile));

    public static bool HasAnyServingFile(string dir) =>
        File.Exists(Path.Combine(dir, CertFile)) || File.Exists(Path.Combine(dir, KeyFile));

    public static X509Certificate2 Load(string dir) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(dir, CertFile), Path.Combine(dir, KeyFile));

    /// <summary>Creates a CA and a serving certificate for <paramref name="dnsNames"/> and writes tls.crt, tls.key and ca.crt.</summary>
    public static void GenerateSelfSigned(string dir, IReadOnlyList<string> dnsNames, TimeSpan? validity = null)
    {
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore + (validity ?? TimeSpan.FromDays(3650));
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={dnsNames[0]}-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var servingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[^1]}", servingKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var serving = request.Create(ca, notBefore, notAfter, serial);

        Directory.CreateDirectory(dir);
        WriteAtomically(Path.Combine(dir, CaFile), ca.ExportCertificatePem());
        WriteAtomically(Path.Combine(dir, KeyFile), servingKey.ExportPkcs8PrivateKeyPem());
        WriteAtomically(Path.Combine(dir, CertFile), serving.ExportCertificatePem());
    }

    /// <summary>Write-then-rename, so a reader never sees half a file.</summary>
    public static void WriteAtomically(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }
}
