using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Raven.Controller.Certificates;

/// <summary>The three certificates Raven's L7 proxy asks for, and nothing else.</summary>
public enum ProxyCertificateKind
{
    None,
    ProxyServer,
    ProxyUser,
    AgentClient,
}

/// <summary>What the approver needs from a CertificateSigningRequest.</summary>
public sealed record CsrFacts(string SignerName, IReadOnlyList<string> Usages, string Username, IReadOnlyList<string> Groups, string RequestPem);

public sealed record CsrVerdict(ProxyCertificateKind Kind, string Reason)
{
    public bool Approve => Kind != ProxyCertificateKind.None;
}

/// <summary>
/// Approves exactly the upstream subjects, signers and usages, requested by a node identity or the raven agent's
/// service account. Any other request is left for someone else: we neither approve nor deny it.
/// </summary>
public static class ProxyCsrPolicy
{
    public const string KubeletServingSigner = "kubernetes.io/kubelet-serving";
    public const string ApiServerClientSigner = "kubernetes.io/kube-apiserver-client";
    public const string AgentServiceAccount = "system:serviceaccount:kube-system:raven-agent-account";

    private static readonly HashSet<string> ServerUsages = ["digital signature", "key encipherment", "server auth"];
    private static readonly HashSet<string> ClientUsages = ["digital signature", "key encipherment", "client auth"];

    public static CsrVerdict Decide(CsrFacts csr)
    {
        if (!TrustedRequester(csr))
        {
            return new(ProxyCertificateKind.None, $"requester {csr.Username} is neither a node nor the raven agent's service account");
        }

        X500DistinguishedName subject;
        try
        {
            subject = CertificateRequest.LoadSigningRequestPem(csr.RequestPem, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions).SubjectName;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return new(ProxyCertificateKind.None, $"the request is not a valid PKCS#10 CSR: {ex.Message}");
        }

        var (commonName, organizations) = Parse(subject);
        var kind = (csr.SignerName, commonName) switch
        {
            (KubeletServingSigner, "system:node:tunnel-proxy-server") when Only(organizations, "system:nodes") && Usages(csr, ServerUsages, "server auth") => ProxyCertificateKind.ProxyServer,
            (ApiServerClientSigner, "tunnel-proxy-client") when Only(organizations, "openyurt:yurttunnel") && Usages(csr, ClientUsages, "client auth") => ProxyCertificateKind.ProxyUser,
            (ApiServerClientSigner, "tunnel-agent-client") when Only(organizations, "openyurt:yurttunnel") && Usages(csr, ClientUsages, "client auth") => ProxyCertificateKind.AgentClient,
            _ => ProxyCertificateKind.None,
        };
        return kind == ProxyCertificateKind.None
            ? new(kind, $"not a Raven proxy certificate (signer {csr.SignerName}, CN {commonName}, O {string.Join(",", organizations)}, usages {string.Join(",", csr.Usages)})")
            : new(kind, $"Raven {kind} certificate requested by {csr.Username}");
    }

    private static bool TrustedRequester(CsrFacts csr) =>
        csr.Username == AgentServiceAccount ||
        (csr.Username.StartsWith("system:node:", StringComparison.Ordinal) && csr.Groups.Contains("system:nodes"));

    private static bool Only(IReadOnlyList<string> organizations, string expected) => organizations.Count == 1 && organizations[0] == expected;

    private static bool Usages(CsrFacts csr, HashSet<string> allowed, string required) =>
        csr.Usages.Contains(required) && csr.Usages.All(allowed.Contains);

    private static (string CommonName, IReadOnlyList<string> Organizations) Parse(X500DistinguishedName subject)
    {
        var commonName = "";
        var organizations = new List<string>();
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            var value = rdn.GetSingleElementValue() ?? "";
            switch (rdn.GetSingleElementType().Value)
            {
                case "2.5.4.3":
                    commonName = value;
                    break;
                case "2.5.4.10":
                    organizations.Add(value);
                    break;
            }
        }

        return (commonName, organizations);
    }
}
