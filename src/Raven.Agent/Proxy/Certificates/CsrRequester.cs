using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>A CSR ended without a certificate (denied, failed, or not answered in time).</summary>
public sealed class CsrRejectedException(string message) : Exception(message);

/// <summary>Who the CSR claims to come from, for API servers that do not authenticate (the embedded server over plain
/// HTTP or a Unix socket keeps spec.username/groups as sent). A real API server overwrites both fields with the
/// authenticated identity, so these settings change nothing there.</summary>
public sealed record CsrRequesterIdentity(string Username, IReadOnlyList<string> Groups)
{
    /// <summary>The identity a kubelet's credentials would give: system:node:&lt;node&gt; in group system:nodes.</summary>
    public static CsrRequesterIdentity Node(string nodeName) => new("system:node:" + nodeName, ["system:nodes", "system:authenticated"]);
}

/// <summary>Creates one CertificateSigningRequest and waits until it is signed, denied or failed.</summary>
public sealed class CsrRequester(KubeClient client, TimeProvider clock, TimeSpan pollInterval, CsrRequesterIdentity? identity)
{
    private readonly ICertificatesV1Operations _csrs = client.Api.CertificatesV1;

    /// <summary>A fresh ECDSA P-256 key and a PKCS#10 request for it.</summary>
    public static (ECDsa Key, string RequestPem) CreateRequest(ProxyCertificateProfile profile, CertificateSans sans)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(sans);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(profile.Subject(), key, HashAlgorithmName.SHA256);
        if (sans.ToExtension() is { } extension)
        {
            request.CertificateExtensions.Add(extension);
        }

        return (key, request.CreateSigningRequestPem());
    }

    /// <summary>Creates the CSR and returns the issued certificate PEM. Throws <see cref="CsrRejectedException"/> when it
    /// is denied, fails, or is not signed within <paramref name="timeout"/>.</summary>
    public async Task<string> RequestAsync(string name, ProxyCertificateProfile profile, string requestPem, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var csr = new V1CertificateSigningRequest
        {
            Metadata = new() { Name = name },
            Spec = new V1CertificateSigningRequestSpec
            {
                Request = Encoding.ASCII.GetBytes(requestPem),
                SignerName = profile.SignerName,
                Usages = [.. profile.Usages],
                Username = identity?.Username,
                Groups = identity is null ? null : [.. identity.Groups],
            },
        };
        await _csrs.CreateCertificateSigningRequestAsync(csr, cancellationToken: cancellationToken).ConfigureAwait(false);
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            V1CertificateSigningRequest current;
            try
            {
                current = await _csrs.ReadCertificateSigningRequestAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                throw new CsrRejectedException($"CertificateSigningRequest {name} was deleted before it was signed");
            }

            if (current.HasCondition(KubeModelExtensions.CsrDenied) || current.HasCondition(KubeModelExtensions.CsrFailed))
            {
                var condition = current.Status!.Conditions!.First(c =>
                    c.Type is KubeModelExtensions.CsrDenied or KubeModelExtensions.CsrFailed);
                throw new CsrRejectedException(
                    $"CertificateSigningRequest {name} ({profile.CommonName}) was {condition.Type.ToLowerInvariant()}: {condition.Reason} {condition.Message}".TrimEnd());
            }

            if (current.Status?.Certificate is { Length: > 0 } issued)
            {
                return Encoding.ASCII.GetString(issued);
            }

            if (clock.GetUtcNow() >= deadline)
            {
                throw new CsrRejectedException(
                    $"CertificateSigningRequest {name} ({profile.CommonName}, signer {profile.SignerName}) was not signed within {timeout}; is an approver running?");
            }

            await Task.Delay(pollInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A name that never collides: raven-proxy-user-cloud-1-7f3a9c21.</summary>
    public static string NewName(ProxyCertificateProfile profile, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var stem = $"{profile.FilePrefix}-{nodeName}";
        return (stem.Length > 240 ? stem[..240] : stem).TrimEnd('-', '.') + "-" + suffix;
    }

    /// <summary>Checks the issued PEM belongs to <paramref name="key"/> and builds a certificate usable for TLS.</summary>
    public static X509Certificate2 Combine(string certificatePem, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var issued = X509Certificate2.CreateFromPem(certificatePem);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
