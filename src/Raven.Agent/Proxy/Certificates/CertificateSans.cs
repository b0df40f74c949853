using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>Subject alternative names of a certificate: sorted, without duplicates, so two sets compare by value.</summary>
public sealed class CertificateSans : IEquatable<CertificateSans>
{
    public static readonly CertificateSans None = new([], []);

    public CertificateSans(IEnumerable<IPAddress> ips, IEnumerable<string> dnsNames)
    {
        ArgumentNullException.ThrowIfNull(ips);
        ArgumentNullException.ThrowIfNull(dnsNames);
        Ips = ips.Select(Normalize).Distinct().OrderBy(ip => ip.ToString(), StringComparer.Ordinal).ToList();
        DnsNames = dnsNames.Select(n => n.Trim().ToLowerInvariant()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<IPAddress> Ips { get; }

    public IReadOnlyList<string> DnsNames { get; }

    public bool IsEmpty => Ips.Count == 0 && DnsNames.Count == 0;

    /// <summary>The SANs a certificate carries.</summary>
    public static CertificateSans Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extensions = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().ToList();
        return new CertificateSans(extensions.SelectMany(e => e.EnumerateIPAddresses()), extensions.SelectMany(e => e.EnumerateDnsNames()));
    }

    public X509Extension? ToExtension()
    {
        if (IsEmpty)
        {
            return null;
        }

        var builder = new SubjectAlternativeNameBuilder();
        foreach (var ip in Ips)
        {
            builder.AddIpAddress(ip);
        }

        foreach (var name in DnsNames)
        {
            builder.AddDnsName(name);
        }

        return builder.Build();
    }

    public bool Equals(CertificateSans? other) =>
        other is not null && Ips.SequenceEqual(other.Ips) && DnsNames.SequenceEqual(other.DnsNames, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CertificateSans);

    public override int GetHashCode() => HashCode.Combine(Ips.Count, DnsNames.Count, DnsNames.FirstOrDefault());

    public override string ToString() => string.Join(", ", Ips.Select(ip => "IP:" + ip).Concat(DnsNames.Select(n => "DNS:" + n)));

    private static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}
