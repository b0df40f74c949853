using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>Chain validation against the cluster CA only (never the machine's trust store).</summary>
public static class CertificateTrust
{
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Returns null when <paramref name="certificate"/> chains to one of <paramref name="authorities"/> and
    /// allows <paramref name="usage"/>; otherwise the reason it does not.</summary>
    public static string? Check(X509Certificate2 certificate, X509Certificate2Collection authorities, Oid usage)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authorities);
        ArgumentNullException.ThrowIfNull(usage);
        if (authorities.Count == 0)
        {
            return "no trusted certificate authority is configured";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        if (chain.Build(certificate))
        {
            return null;
        }

        var problems = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
        return $"certificate \"{certificate.Subject}\" is not trusted: {string.Join("; ", problems)}";
    }

    /// <summary>A server-certificate callback for TLS clients: chain to the CA and require the name to match.</summary>
    public static RemoteCertificateValidationCallback ServerValidator(ICertificateSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return (_, certificate, _, errors) =>
            certificate is not null
            && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
            && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0
            && Check(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()),
                source.TrustedAuthorities, ServerAuth) is null;
    }
}
