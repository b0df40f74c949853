using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>Decides whether a tunnel client certificate may speak for a node name.</summary>
public static partial class ClientIdentity
{
    /// <summary>Returns null when allowed, else the reason. The name must be a DNS-1123 subdomain; when the
    /// certificate lists DNS names (the upstream agent certificate carries the node name) it must be one of them.</summary>
    public static string? Check(X509Certificate2 certificate, string? nodeName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (string.IsNullOrEmpty(nodeName) || nodeName.Length > 253 || !NodeNamePattern().IsMatch(nodeName))
        {
            return $"node name \"{nodeName}\" is not a valid DNS-1123 subdomain";
        }

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames()).ToList();
        if (names.Count > 0 && !names.Contains(nodeName, StringComparer.OrdinalIgnoreCase))
        {
            return $"certificate \"{certificate.Subject}\" is not issued for node \"{nodeName}\" (DNS names: {string.Join(", ", names)})";
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NodeNamePattern();
}
