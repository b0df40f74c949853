using Raven.Agent.Linux.Processes;
using Raven.Api;
using Raven.Api.Json;
using Raven.Kube.Client;
using Raven.Kube.Models;
using Raven.Lab.Build;
using Raven.Lab.Shell;
using Raven.Lab.Topology;
using k8s;
using k8s.Models;

namespace Raven.Lab.Run;

/// <summary>How `raven lab up` installs Raven.</summary>
/// <param name="GatewaysFromConfig">Describe the Gateways in raven-cfg (LabRavenConfig) and let the controller create them.</param>
/// <param name="EditManifests">Changes the rendered overlay before it is applied (tests: take a permission away).</param>
public sealed record LabComponents(bool GatewaysFromConfig = false, Func<string, string>? EditManifests = null)
{
    public const string DefaultVpnDriver = "wireguard";

    /// <summary>raven-agent-config vpn-driver in the applied overlay: every agent pod's tunnel backend.</summary>
    public string VpnDriver { get; init; } = DefaultVpnDriver;
}

/// <summary>
/// `raven lab up` and `down`: namespaces, the embedded API server, the workload controllers, a kubelet stand-in per
/// node; then Raven installed from deploy/overlays/lab with kubectl, so the agents (DaemonSet) and the controller
/// (Deployment) run as pods under their ServiceAccounts and RBAC; the manual's Gateways; then the manual's checks.
/// </summary>
public sealed class LabRunner
{
    private readonly LabTopology _topology;
    private readonly LabBuilder _builder;
    private readonly ICommandRunner _runner;
    private readonly LabComponents _components;
    private const string ApiServerProcess = "apiserver";

    /// <summary>The API server's port on the control-plane node (and, DNAT-ed, on the cloud's public address).</summary>
    public const int ApiPort = 6443;

    public LabRunner(LabTopology topology, LabComponents components)
    {
        _topology = topology;
        _components = components;
        _runner = new ProcessCommandRunner();
        var options = LabOptions.For(topology.Names);
        _builder = new LabBuilder(_runner, options);
        Paths = new LabPaths(options.StateDirectory);
    }

    public LabPaths Paths { get; }

    public LabTopology Topology => _topology;

    /// <summary>The agents' tunnel backend.</summary>
    public string VpnDriver => _components.VpnDriver;

    private bool UsesVxlanCable => VpnDriver == Raven.Agent.Tunnel.Vxlan.VxlanCableProfile.BackendName;

    /// <summary>The lab's Gateways as this lab writes them (under the VXLAN cable: with the edges' forwarded ports).</summary>
    private IReadOnlyList<Api.V1Beta1.Gateway> LabGateways() =>
        UsesVxlanCable ? LabVxlanCable.Published(_topology, LabCluster.Gateways(_topology)) : LabCluster.Gateways(_topology);

    public async Task UpAsync(LabProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        progress.Step($"building {_topology.Namespaces.Count} network namespaces ({_topology.Names.Prefix}*)");
        var report = await _builder.UpAsync(_topology, cancellationToken).ConfigureAwait(false);
        progress.Step($"  namespaces ready in {report.Elapsed.TotalSeconds:0.0}s");
        if (UsesVxlanCable)
        {
            if (_components.GatewaysFromConfig)
            {
                throw new InvalidOperationException("--vpn-driver vxlan needs each edge gateway's forwarded port in its Gateway (publicPort), which raven-cfg cannot say: leave out --gateways-from-config");
            }

            progress.Step(LabVxlanCable.Warning);
            await LabVxlanCable.ForwardAsync(_runner, _topology, cancellationToken).ConfigureAwait(false);
        }

        PrepareStateDirectory();
        var daemons = new LabDaemons(Paths, _builder.Processes);
        var raven = LabDaemons.RavenCommand();

        progress.Step("starting the embedded API server (HTTPS on loopback for kubectl, a Unix socket for the lab's own processes)");
        await StartApiServerAsync(progress, cancellationToken).ConfigureAwait(false);
        using var client = KubeClient.Create(Paths.Kubeconfig);

        progress.Step("starting the DaemonSet/Deployment controllers and a kubelet stand-in in each of the " + _topology.Nodes.Count() + " node namespaces");
        daemons.Start("workloads", null, [.. raven, "lab", "workloads", "--state-root", Paths.Root]);
        foreach (var node in _topology.Nodes)
        {
            var domain = _topology.DomainOf(node);
            var edge = domain.Exposure == DomainExposure.Public ? "false" : "true";
            daemons.Start($"kubelet-{node.LabName}", _topology.Names.Node(node), [.. raven, "lab", "kubelet", "--kubeconfig", Paths.SocketKubeconfig,
                "--node", node.NodeName, "--ip", node.LanAddress.ToString(), "--pod-cidr", node.PodCidr.ToString(), "--gateway", domain.GatewayName,
                "--label", "kubernetes.io/os=linux", "--label", "kubernetes.io/arch=amd64", "--label", $"openyurt.io/is-edge-worker={edge}",
                "--state-root", Paths.Root, "--lab-name", node.LabName, .. ApiArguments(node),
                "--public-ip", LabRavenConfig.PublicAddressOf(_topology, node) ?? ""]);
        }

        progress.Step($"installing Raven: kubectl kustomize {LabManifests.Overlay} | kubectl apply (agents and controller become pods)");
        await InstallAsync(client, cancellationToken).ConfigureAwait(false);
        await progress.WaitAsync("the Gateway CRD to be served", async ct =>
        {
            await client.CustomObjects(KubeResources.Gateways).ListAsync(cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);

        ShowSeedManualVerdict(progress);
        progress.Step(_components.GatewaysFromConfig
            ? "raven-cfg with gateway-nodes/exposed-gateway: the controller creates the Gateways"
            : "creating the manual's Gateways (v1beta1)");
        await CreateClusterObjectsAsync(client, cancellationToken).ConfigureAwait(false);
        progress.Step($"registering the {_topology.Nodes.Count()} workload pods (network namespaces {_topology.Names.Prefix}p-*) as Pods default/p-<node>");
        await LabNetnsPods.RegisterAsync(client, _topology, cancellationToken).ConfigureAwait(false);

        try
        {
            await progress.WaitAsync($"a Running raven-agent-ds pod on each of the {_topology.Nodes.Count()} nodes", async ct =>
                (await AgentPodsAsync(client, ct).ConfigureAwait(false)).Where(p => p.Status?.Phase == "Running").Select(p => p.Spec.NodeName).Distinct().Count() == _topology.Nodes.Count(),
                TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            await progress.WaitAsync("every gateway to elect its endpoints", async ct =>
            {
                var gateways = await client.CustomObjects(KubeResources.Gateways).ListAsync(cancellationToken: ct).ConfigureAwait(false);
                return gateways.Count == _topology.Domains.Count && gateways.All(Elected);
            }, TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);

            // Ready, as `kubectl rollout status` waits: an agent is ready once it has applied its plan, which needs
            // every permission its informers and publisher use (a denied one keeps it unready, and is named below).
            await progress.WaitAsync("every raven-agent-ds pod to be Ready", async ct =>
                (await AgentPodsAsync(client, ct).ConfigureAwait(false)).Where(IsReady).Select(p => p.Spec.NodeName).Distinct().Count() == _topology.Nodes.Count(),
                TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e) when (Forbidden().Count > 0)
        {
            throw new TimeoutException($"{e.Message}; the pods were denied by RBAC:\n  {string.Join("\n  ", Forbidden())}", e);
        }
    }

    /// <summary>
    /// The node with the cloud's elastic IP hosts the API server's address: its kubelet forwards LAN-IP:6443 to the
    /// API server's socket, the cloud router DNATs public-IP:6443 there (its 1:1 NAT), so edge nodes reach the control
    /// plane over the lab internet, cloud nodes over their LAN. A topology without a public node gives every node a
    /// forwarder on its own loopback instead.
    /// </summary>
    private (LabNode Node, string PublicAddress)? ControlPlane =>
        _topology.Domains.Select(d => d.Router.Exposure).OfType<PublicAddressMapping>().Select(e => (_topology.Node(e.NodeLabName), e.PublicAddress.ToString()))
            .Cast<(LabNode, string)?>().FirstOrDefault();

    private IReadOnlyList<string> ApiArguments(LabNode node)
    {
        var port = ApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ControlPlane is not { } plane)
        {
            return ["--api-socket", Paths.ApiTlsSocket, "--api-listen", $"127.0.0.1:{port}"];
        }

        if (plane.Node == node)
        {
            return ["--api-socket", Paths.ApiTlsSocket, "--api-listen", $"{node.LanAddress}:{port}"];
        }

        var sameDomain = _topology.DomainOf(plane.Node) == _topology.DomainOf(node);
        return ["--service-host", sameDomain ? plane.Node.LanAddress.ToString() : plane.PublicAddress, "--service-port", port];
    }

    /// <summary>The addresses pods use for the API server: in its serving certificate.</summary>
    private IReadOnlyList<string> ServingNames() => ControlPlane is { } plane
        ? ["--serving-name", plane.Node.LanAddress.ToString(), "--serving-name", plane.PublicAddress]
        : [];

    /// <summary>The distinct RBAC denials in the pods' logs ("... is forbidden: User ... cannot VERB resource ..."), at most 10.</summary>
    public IReadOnlyList<string> Forbidden()
    {
        if (!Directory.Exists(Paths.Logs))
        {
            return [];
        }

        return Directory.EnumerateFiles(Paths.Logs, "pod-*.log")
            .SelectMany(f => File.ReadLines(f).Where(l => l.Contains("is forbidden: User", StringComparison.Ordinal))
                .Select(Denial))
            .Distinct(StringComparer.Ordinal).Take(10).ToList();
    }

    /// <summary>"User "X" cannot VERB resource "R" in API group "G" ..." out of a log line.</summary>
    private static string Denial(string line)
    {
        var at = line.IndexOf("User \"", StringComparison.Ordinal);
        var text = at < 0 ? line : line[at..];
        var end = text.IndexOfAny(['\n', '}']);
        return (end > 0 ? text[..end] : text).TrimEnd('.', ',', ' ', '\\');
    }

    private async Task InstallAsync(KubeClient client, CancellationToken cancellationToken)
    {
        var rendered = await LabManifests.RenderAsync(_runner, VpnDriver, cancellationToken).ConfigureAwait(false);
        if (_components.EditManifests is { } edit)
        {
            rendered = edit(rendered);
        }

        await File.WriteAllTextAsync(Paths.Manifests, rendered, cancellationToken).ConfigureAwait(false);

        // Per cluster, never a constant (docs/install.md): the agents' IKE/WireGuard pre-shared key.
        await client.Api.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new() { Name = "raven-agent-secret", NamespaceProperty = WellKnown.WorkingNamespace },
            // data, not stringData: the embedded API server stores what it is given, and the lab's kubelet reads data
            // (with stringData an IPsec agent found no $VPN_CONNECTION_PSK and refused to start).
            Data = new Dictionary<string, byte[]>
            {
                ["vpn-connection-psk"] = System.Text.Encoding.UTF8.GetBytes(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
            },
        }, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        await LabManifests.ApplyAsync(_runner, Paths.Kubeconfig, Paths.Manifests, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the API server by PID (an outage: everything else keeps running).</summary>
    public async Task StopApiServerAsync(CancellationToken cancellationToken)
    {
        if (_builder.Processes.Entries().TryGetValue(ApiServerProcess, out var apiserver))
        {
            await new ProcessStopper(_runner, LabOptions.For(_topology.Names).StopGrace).StopAsync([apiserver], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the API server on the lab's data directory and socket (also again after <see cref="StopApiServerAsync"/>).</summary>
    public async Task StartApiServerAsync(LabProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        File.Delete(Paths.Kubeconfig);
        File.Delete(Paths.SocketKubeconfig);
        new LabDaemons(Paths, _builder.Processes).Start(ApiServerProcess, null, [.. LabDaemons.RavenCommand(), "apiserver", "--listen", "127.0.0.1:0",
            "--https", "--unix-socket", Paths.ApiSocket, "--data-dir", Paths.ApiData, .. ServingNames()]);
        await progress.WaitAsync("the API server", _ => Task.FromResult(File.Exists(Paths.Kubeconfig) && File.Exists(Paths.SocketKubeconfig) && File.Exists(Paths.ApiSocket)),
            TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
    }

    public async Task<LabTeardownReport> DownAsync(CancellationToken cancellationToken)
    {
        var report = await _builder.DownAsync(_topology.Names, cancellationToken).ConfigureAwait(false);
        Pods.HostMountPoints.RemoveCreated(Paths.MountPoints);
        if (Directory.Exists(Paths.Root))
        {
            Directory.Delete(Paths.Root, recursive: true);
        }

        return report;
    }

    private static async Task<IList<V1Pod>> AgentPodsAsync(KubeClient client, CancellationToken cancellationToken) =>
        (await client.Api.CoreV1.ListNamespacedPodAsync(WellKnown.WorkingNamespace, labelSelector: "app=raven-agent", cancellationToken: cancellationToken).ConfigureAwait(false)).Items;

    private static bool IsReady(V1Pod pod) =>
        pod.Status?.Phase == "Running" && (pod.Status.Conditions ?? []).Any(c => c.Type == "Ready" && c.Status == "True");

    public static bool Elected(Api.V1Beta1.Gateway gateway)
    {
        var actives = gateway.Status.ActiveEndpoints ?? [];
        return (gateway.Spec.TunnelConfig.Replicas == 0 || actives.Any(e => e.Type == WellKnown.EndpointTypeTunnel)) &&
               (gateway.Spec.ProxyConfig.Replicas == 0 || actives.Any(e => e.Type == WellKnown.EndpointTypeProxy));
    }

    /// <summary>The manual's YAML as written: accepted, but its v1alpha1 documents lose their v1beta1-only fields.</summary>
    private static void ShowSeedManualVerdict(LabProgress progress)
    {
        using var stream = typeof(LabRunner).Assembly.GetManifestResourceStream("seed-manual-gateways.yaml")!;
        using var reader = new StreamReader(stream);
        progress.Step("the manual's Gateway YAML as written (docs/examples/seed-manual-gateways.yaml), judged as the API server admits it:");
        foreach (var manifest in Api.Manifests.GatewayManifestReader.Read(reader.ReadToEnd()))
        {
            progress.Step($"  {manifest.Name} [{manifest.ApiVersion}]: {(manifest.IsValid ? "valid" : "INVALID")}, {manifest.Warnings.Count()} warning(s)");
            foreach (var warning in manifest.Warnings)
            {
                progress.Step($"    warning {warning}");
            }
        }

        progress.Step("  so the lab writes every Gateway as v1beta1, keeping the manual's proxy/tunnel endpoints, ports and replicas");
    }

    private void PrepareStateDirectory()
    {
        foreach (var stale in new[] { Paths.ApiData, Path.Combine(Paths.Root, "nodes"), Paths.Logs })
        {
            if (Directory.Exists(stale))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        Directory.CreateDirectory(Paths.Root);
        File.Delete(Paths.ApiSocket);
        Directory.CreateDirectory(Paths.ApiData);
        Directory.CreateDirectory(Paths.Logs);
    }

    private async Task CreateClusterObjectsAsync(KubeClient client, CancellationToken cancellationToken)
    {
        // raven-cfg and raven-agent-config came with the manifests; --gateways-from-config describes the Gateways in raven-cfg.
        if (_components.GatewaysFromConfig)
        {
            await client.Api.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(new { data = LabRavenConfig.Data(_topology) }, V1Patch.PatchType.MergePatch),
                WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (UsesVxlanCable)
        {
            await client.Api.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(new { data = LabVxlanCable.AgentConfig }, V1Patch.PatchType.MergePatch),
                WellKnown.RavenAgentConfig, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // From raven-cfg the controller creates every Gateway the ConfigMap can describe; the lab writes the rest.
        var written = _components.GatewaysFromConfig
            ? _topology.Domains.Where(d => !LabRavenConfig.DescribedByConfig(d)).Select(d => d.GatewayName).ToHashSet(StringComparer.Ordinal)
            : null;
        var gateways = client.CustomObjects(KubeResources.Gateways);
        foreach (var gateway in LabGateways().Where(g => written is null || written.Contains(g.Name)))
        {
            await gateways.CreateAsync(gateway, cancellationToken).ConfigureAwait(false);
        }

        File.WriteAllText(Path.Combine(Paths.Root, "gateways.json"), RavenJson.Serialize(LabGateways(), indented: true));
    }
}
