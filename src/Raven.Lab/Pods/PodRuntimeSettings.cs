namespace Raven.Lab.Pods;

/// <summary>What a node's kubelet stand-in needs to run the pods bound to it.</summary>
/// <param name="NodeName">The Node's name (spec.nodeName of its pods).</param>
/// <param name="NodeIp">status.hostIP, and podIP of every lab pod (the lab runs pods in the node's network namespace).</param>
/// <param name="ProcessSuffix">Appended to the process-table names of the pods (the node's lab name), so the lab can stop a node's processes together.</param>
/// <param name="StateRoot">The lab's state directory (process table, logs, nodes/NODE/...).</param>
/// <param name="CaCertificate">The cluster CA, mounted as the ServiceAccount's ca.crt.</param>
/// <param name="ServiceHost">KUBERNETES_SERVICE_HOST: where this node reaches the API server.</param>
/// <param name="ServicePort">KUBERNETES_SERVICE_PORT.</param>
/// <param name="Entrypoint">The command of the image's entrypoint (`raven`): the lab's own raven executable.</param>
public sealed record PodRuntimeSettings(
    string NodeName,
    string NodeIp,
    string ProcessSuffix,
    string StateRoot,
    string CaCertificate,
    string ServiceHost,
    int ServicePort,
    IReadOnlyList<string> Entrypoint)
{
    public string NodeDirectory => Path.Join(StateRoot, "nodes", NodeName);

    /// <summary>The node's own "host file system" for hostPath volumes.</summary>
    public string HostRoot => Path.Join(NodeDirectory, "host");

    public string Sandbox(string ns, string name, string uid) => Path.Join(NodeDirectory, "pods", $"{ns}_{name}_{uid}");

    public string Log(string ns, string name) => Path.Join(StateRoot, "logs", $"pod-{ns}_{name}.log");

    /// <summary>Restarts wait 1 s doubling to 60 s (kubelet: 10 s to 5 min; the lab wants quick recovery), reset after 30 s of running.</summary>
    public TimeSpan RestartInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RestartMax { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan RestartReset { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Node-specific variables this kubelet adds to every container, beside the KUBERNETES_SERVICE_* ones (so
    /// manifests can say <c>$(NAME)</c>): how the lab hands an agent what a real node would know by itself.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> NodeVariables { get; init; } = [];
}
