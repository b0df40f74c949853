using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>
/// Signs approved CertificateSigningRequests for the kubelet-serving and kube-apiserver-client signers, like the
/// kube-controller-manager's signer: serving certificates keep the requested SANs, client certificates get none.
/// </summary>
internal sealed class CsrSigner(CertificateAuthority ca, TimeSpan validity, TimeProvider clock)
{
    public const string KubeletServing = "kubernetes.io/kubelet-serving";
    public const string ApiServerClient = "kubernetes.io/kube-apiserver-client";

    /// <summary>Adds status.certificate (or a Failed condition) to an approved, unsigned CSR; false when nothing changed.</summary>
    public bool TrySign(JsonObject csr)
    {
        var spec = csr["spec"] as JsonObject;
        var status = csr["status"] as JsonObject ?? new JsonObject();
        csr["status"] = status;
        var conditions = (status["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        bool Has(string type) => conditions.Any(c => ObjectMeta.Text(c, "type") == type && ObjectMeta.Text(c, "status") != "False");
        if (!Has("Approved") || Has("Denied") || Has("Failed") || status["certificate"] is not null) return false;
        var signer = spec is null ? null : ObjectMeta.Text(spec, "signerName");
        if (signer is not (KubeletServing or ApiServerClient)) return false;

        try
        {
            var pem = Encoding.UTF8.GetString(Convert.FromBase64String(ObjectMeta.Text(spec!, "request") ?? ""));
            var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            var signed = BuildRequest(request, signer);
            var lifetime = validity;
            if (spec!["expirationSeconds"] is JsonValue seconds && seconds.TryGetValue<long>(out var s))
            {
                lifetime = TimeSpan.FromSeconds(Math.Clamp(s, 600, (long)validity.TotalSeconds));
            }

            var now = clock.GetUtcNow();
            using var cert = ca.Sign(signed, now.AddMinutes(-5), now + lifetime);
            status["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(cert.ExportCertificatePem() + "\n"));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = "Failed",
                ["status"] = "True",
                ["reason"] = "SignerValidationFailure",
                ["message"] = $"invalid certificate request: {e.Message}",
                ["lastUpdateTime"] = ObjectMeta.Now(clock),
                ["lastTransitionTime"] = ObjectMeta.Now(clock),
            });
            status["conditions"] = new JsonArray(conditions.Select(c => (JsonNode)c.DeepClone()).ToArray());
        }

        return true;
    }

    private static CertificateRequest BuildRequest(CertificateRequest request, string signer)
    {
        var result = new CertificateRequest(request.SubjectName, request.PublicKey, HashAlgorithmName.SHA256);
        result.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usage = X509KeyUsageFlags.DigitalSignature;
        if (request.PublicKey.Oid.Value == "1.2.840.113549.1.1.1") usage |= X509KeyUsageFlags.KeyEncipherment;
        result.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        var eku = signer == KubeletServing ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        result.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        if (signer == KubeletServing)
        {
            foreach (var san in request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>())
            {
                result.CertificateExtensions.Add(san);
            }

            foreach (var ext in request.CertificateExtensions.Where(e => e.Oid?.Value == "2.5.29.17" && e is not X509SubjectAlternativeNameExtension))
            {
                result.CertificateExtensions.Add(new X509Extension(ext.Oid!, ext.RawData, false));
            }
        }

        result.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return result;
    }
}
