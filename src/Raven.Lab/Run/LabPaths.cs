using Raven.Lab.Build;

namespace Raven.Lab.Run;

/// <summary>Where a running lab keeps its state: sockets, kubeconfigs, logs, agent state, PIDs.</summary>
public sealed record LabPaths(string Root)
{
    public static LabPaths Default { get; } = new(LabOptions.StateRoot);

    public string ApiSocket => Path.Combine(Root, "api.sock");
    public string ApiData => Path.Combine(Root, "apiserver");

    /// <summary>For kubectl and processes in the root namespace (TCP on loopback).</summary>
    public string Kubeconfig => Path.Combine(ApiData, "kubeconfig");

    /// <summary>The embedded API server's CA: it signs the approved proxy certificates.</summary>
    public string ApiCaCertificate => Path.Combine(ApiData, "pki", "ca.crt");

    /// <summary>
    /// For processes inside lab namespaces: they cannot reach the root namespace's loopback, but share the filesystem.
    /// The API server writes it for its Unix socket.
    /// </summary>
    public string SocketKubeconfig => Path.Combine(ApiData, "kubeconfig-unix");

    /// <summary>
    /// The API server's HTTPS listener as a Unix socket (forwarded to its loopback port by the workload process), so
    /// every node's kubelet can offer it to its pods at a TCP address of the node: pods authenticate with their
    /// ServiceAccount tokens over TLS, as on a cluster.
    /// </summary>
    public string ApiTlsSocket => Path.Combine(Root, "api-tls.sock");

    /// <summary>The rendered lab overlay, as applied.</summary>
    public string Manifests => Path.Combine(Root, "manifests.yaml");

    /// <summary>Mount points the lab's pods needed and the machine lacked (removed by `down`).</summary>
    public string MountPoints => Path.Combine(Root, "mountpoints");

    public string Logs => Path.Combine(Root, "logs");

    public string Log(string process) => Path.Combine(Logs, process + ".log");

    /// <summary>
    /// The agent pod's --state-dir (/var/lib/raven, a hostPath) as the lab host sees it: the kubelet stand-in maps
    /// hostPath volumes into the node's own directory (Pods/PodRuntimeSettings.HostRoot).
    /// </summary>
    public string AgentState(string nodeName) => Path.Combine(Root, "nodes", nodeName, "host", "var", "lib", "raven");

    public string Report => Path.Combine(Root, "report.txt");
}
