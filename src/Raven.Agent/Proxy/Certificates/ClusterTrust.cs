using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Raven.Kube.Client.Config;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>Finds the cluster CA both proxy ends trust: explicit PEM, a CA file, the service-account ca.crt, or the
/// kubeconfig's certificate-authority data, in that order.</summary>
public static class ClusterTrust
{
    public const string ServiceAccountCaPath = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

    /// <param name="caPem">PEM passed in options (e.g. the embedded API server's CA when it serves plain HTTP).</param>
    /// <param name="caFile">A CA bundle file passed in options.</param>
    /// <param name="serviceAccountCaPath">Where the in-cluster CA is mounted; checked only when it exists.</param>
    public static X509Certificate2Collection Load(string? caPem, string? caFile, KubeEndpoint endpoint,
        string serviceAccountCaPath = ServiceAccountCaPath)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!string.IsNullOrWhiteSpace(caPem))
        {
            return Parse(caPem, "the configured cluster CA PEM");
        }

        if (!string.IsNullOrWhiteSpace(caFile))
        {
            return Parse(File.ReadAllText(caFile), caFile);
        }

        if (File.Exists(serviceAccountCaPath))
        {
            return Parse(File.ReadAllText(serviceAccountCaPath), serviceAccountCaPath);
        }

        return [.. endpoint.Configuration.SslCaCerts ?? []];
    }

    public static X509Certificate2Collection Parse(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"{source}: not a PEM certificate bundle ({e.Message})", nameof(pem), e);
        }

        return collection.Count > 0 ? collection : throw new ArgumentException($"{source}: contains no certificate", nameof(pem));
    }
}
