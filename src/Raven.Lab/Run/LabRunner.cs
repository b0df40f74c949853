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

/// <summary>What `raven lab up` starts per node besides the kubelet stand-in.</summary>
/// <param name="AgentCommand">The `raven agent ...` arguments for a node, or null when the agent is not part of this build.</param>
/// <param name="GatewaysFromConfig">Describe the Gateways in raven-cfg (LabRavenConfig) and let the controller create them.</param>
public sealed record LabComponents(Func<LabNode, LabPaths, IReadOnlyList<string>>? AgentCommand, bool GatewaysFromConfig = false)
{
    /// <summary>raven-agent-config vpn-driver (the agent command should pass the same --vpn-driver).</summary>
    public string VpnDriver { get; init; } = LabAgent.DefaultVpnDriver;
}

/// <summary>
/// `raven lab up` and `down`: namespaces, the embedded API server, the controller, a kubelet stand-in and an agent
/// per node, the manual's ConfigMaps and Gateways; then the manual's checks.
/// </summary>
public sealed class LabRunner
{
    private readonly LabTopology _topology;
    private readonly LabBuilder _builder;
    private readonly ICommandRunner _runner;
    private readonly LabComponents _components;
    private const string ApiServerProcess = "apiserver";

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

    public async Task UpAsync(LabProgress progress, CancellationToken cancellationToken)
    {
        progress.Step($"building {_topology.Namespaces.Count} network namespaces ({_topology.Names.Prefix}*)");
        var report = await _builder.UpAsync(_topology, cancellationToken).ConfigureAwait(false);
        progress.Step($"  namespaces ready in {report.Elapsed.TotalSeconds:0.0}s");
        PrepareStateDirectory();
        var daemons = new LabDaemons(Paths, _builder.Processes);
        var raven = LabDaemons.RavenCommand();

        progress.Step("starting the embedded API server (TCP on loopback for kubectl, Unix socket for the namespaces)");
        await StartApiServerAsync(progress, cancellationToken).ConfigureAwait(false);
        using var client = KubeClient.Create(Paths.Kubeconfig);
        await progress.WaitAsync("the Gateway CRD to be served", async ct =>
        {
            await client.CustomObjects(KubeResources.Gateways).ListAsync(cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);

        ShowSeedManualVerdict(progress);
        progress.Step(_components.GatewaysFromConfig
            ? "creating kube-system/raven-agent-config, and raven-cfg with gateway-nodes/exposed-gateway: the controller creates the Gateways"
            : "creating kube-system/raven-cfg and raven-agent-config, and the manual's Gateways (v1beta1)");
        await CreateClusterObjectsAsync(client, cancellationToken).ConfigureAwait(false);

        // Over the Unix socket too: its path, unlike the TCP port, stays the same when the API server restarts.
        progress.Step("starting the controller");
        daemons.Start("controller", null, [.. raven, "controller", "--kubeconfig", Paths.SocketKubeconfig, "--leader-elect", "false",
            "--resync-period", "10", "--health-probe-addr", ""]);

        progress.Step($"starting a kubelet stand-in{(_components.AgentCommand is null ? "" : $" and an agent ({_components.VpnDriver}, a fresh random $VPN_CONNECTION_PSK)")} in each of the {_topology.Nodes.Count()} node namespaces");
        var agentEnvironment = new Dictionary<string, string> { [LabAgent.PresharedKeyVariable] = LabAgent.NewPresharedKey() };
        foreach (var node in _topology.Nodes)
        {
            var domain = _topology.DomainOf(node);
            daemons.Start($"kubelet-{node.LabName}", _topology.Names.Node(node), [.. raven, "lab", "kubelet", "--kubeconfig", Paths.SocketKubeconfig,
                "--node", node.NodeName, "--ip", node.LanAddress.ToString(), "--pod-cidr", node.PodCidr.ToString(), "--gateway", domain.GatewayName]);
            if (_components.AgentCommand is { } agent)
            {
                Directory.CreateDirectory(Paths.NodeState(node.NodeName));
                daemons.Start($"agent-{node.LabName}", _topology.Names.Node(node), [.. raven, .. agent(node, Paths)], agentEnvironment);
            }
        }

        await progress.WaitAsync("every gateway to elect its endpoints", async ct =>
        {
            var gateways = await client.CustomObjects(KubeResources.Gateways).ListAsync(cancellationToken: ct).ConfigureAwait(false);
            return gateways.Count == _topology.Domains.Count && gateways.All(Elected);
        }, TimeSpan.FromSeconds(40), cancellationToken).ConfigureAwait(false);
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
            "--unix-socket", Paths.ApiSocket, "--data-dir", Paths.ApiData, "--install-gateway-crd"]);
        await progress.WaitAsync("the API server", _ => Task.FromResult(File.Exists(Paths.Kubeconfig) && File.Exists(Paths.SocketKubeconfig) && File.Exists(Paths.ApiSocket)),
            TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
    }

    public async Task<LabTeardownReport> DownAsync(CancellationToken cancellationToken)
    {
        var report = await _builder.DownAsync(_topology.Names, cancellationToken).ConfigureAwait(false);
        foreach (var directory in new[] { Paths.Root, Paths.NodeStateRoot })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        return report;
    }

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
        foreach (var stale in new[] { Paths.ApiData, Paths.NodeStateRoot, Paths.Logs })
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
        foreach (var (name, configured) in LabCluster.ConfigMaps(_components.VpnDriver))
        {
            var data = _components.GatewaysFromConfig && name == WellKnown.RavenGlobalConfig ? LabRavenConfig.Data(_topology) : configured;
            await client.Api.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new() { Name = name, NamespaceProperty = WellKnown.WorkingNamespace },
                Data = data.ToDictionary(p => p.Key, p => p.Value),
            }, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // From raven-cfg the controller creates every Gateway the ConfigMap can describe; the lab writes the rest.
        var written = _components.GatewaysFromConfig
            ? _topology.Domains.Where(d => !LabRavenConfig.DescribedByConfig(d)).Select(d => d.GatewayName).ToHashSet(StringComparer.Ordinal)
            : null;
        var gateways = client.CustomObjects(KubeResources.Gateways);
        foreach (var gateway in LabCluster.Gateways(_topology).Where(g => written is null || written.Contains(g.Name)))
        {
            await gateways.CreateAsync(gateway, cancellationToken).ConfigureAwait(false);
        }

        File.WriteAllText(Path.Combine(Paths.Root, "gateways.json"), RavenJson.Serialize(LabCluster.Gateways(_topology), indented: true));
    }
}
