namespace Raven.Agent.Proxy.Certificates;

/// <summary>What one of the three proxy certificates looks like, as the controller's approver expects it.</summary>
/// <param name="FilePrefix">File name prefix in the state directory (upstream component name).</param>
/// <param name="Usages">CertificateSigningRequest spec.usages, in Kubernetes spelling.</param>
public sealed record ProxyCertificateProfile(string FilePrefix, string SignerName, string CommonName, string Organization,
    IReadOnlyList<string> Usages, bool IsServer)
{
    private const string KubeletServing = "kubernetes.io/kubelet-serving";
    private const string ApiServerClient = "kubernetes.io/kube-apiserver-client";

    /// <summary>Serving certificate of ports 10262 and 10263.</summary>
    public static ProxyCertificateProfile Server { get; } = new("raven-proxy-server", KubeletServing,
        "system:node:tunnel-proxy-server", "system:nodes", ["digital signature", "key encipherment", "server auth"], true);

    /// <summary>Client certificate the front end presents to kubelets.</summary>
    public static ProxyCertificateProfile ProxyUser { get; } = new("raven-proxy-user", ApiServerClient,
        "tunnel-proxy-client", "openyurt:yurttunnel", ["digital signature", "key encipherment", "client auth"], false);

    /// <summary>Client certificate the tunnel client presents to proxy servers.</summary>
    public static ProxyCertificateProfile TunnelClient { get; } = new("raven-proxy-client", ApiServerClient,
        "tunnel-agent-client", "openyurt:yurttunnel", ["digital signature", "key encipherment", "client auth"], false);

    /// <summary>The X.500 subject, e.g. CN=tunnel-agent-client, O=openyurt:yurttunnel.</summary>
    public System.Security.Cryptography.X509Certificates.X500DistinguishedName Subject()
    {
        var builder = new System.Security.Cryptography.X509Certificates.X500DistinguishedNameBuilder();
        builder.AddOrganizationName(Organization);
        builder.AddCommonName(CommonName);
        return builder.Build();
    }
}
