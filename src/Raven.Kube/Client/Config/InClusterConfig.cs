using System.Net;
using System.Net.Sockets;

namespace Raven.Kube.Client.Config;

/// <summary>The configuration a pod gets: the kubernetes service address and the mounted service-account files.</summary>
public static class InClusterConfig
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string HostVariable = "KUBERNETES_SERVICE_HOST";
    public const string PortVariable = "KUBERNETES_SERVICE_PORT";

    /// <summary>True when the service environment variables are set (so we are presumably in a pod).</summary>
    public static bool IsAvailable(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrEmpty(environment(HostVariable)) && !string.IsNullOrEmpty(environment(PortVariable));
    }

    public static KubeClientConfig Load(
        Func<string, string?> environment, string serviceAccountDirectory = DefaultServiceAccountDirectory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var host = environment(HostVariable);
        var port = environment(PortVariable);
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException($"in-cluster: {HostVariable} and {PortVariable} must both be set");
        }

        if (!int.TryParse(port, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new KubeConfigException($"in-cluster: {PortVariable}='{port}' is not a port number");
        }

        var tokenPath = Path.Combine(serviceAccountDirectory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException($"in-cluster: service-account token '{tokenPath}' does not exist");
        }

        var caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        if (!File.Exists(caPath))
        {
            throw new KubeConfigException($"in-cluster: service-account CA '{caPath}' does not exist");
        }

        var namespacePath = Path.Combine(serviceAccountDirectory, "namespace");
        var hostPart = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        return new KubeClientConfig
        {
            Server = new Uri($"https://{hostPart}:{portNumber}"),
            CaCertificates = KubeConfigBuilder.ParseCertificates(File.ReadAllText(caPath), "in-cluster: " + caPath),
            Token = new FileTokenSource(tokenPath, time),
            Namespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : null,
        };
    }
}
