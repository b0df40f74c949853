using k8s;
using Raven.Kube.Client;
using Raven.Lab.Run;
using Raven.Lab.Topology;
using Raven.Network.Tests.Agent;
using Raven.TestSupport;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Lab;

/// <summary>
/// The lab installed from deploy/overlays/lab: upgrades and removal as an operator does them (kubectl), and the
/// manifests' RBAC actually in force.
/// </summary>
public sealed class LabPodsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_rollout_restart_keeps_pod_traffic_flowing_and_delete_plus_cleanup_leaves_no_Raven_state()
    {
        Root.Require();
        var topology = LabTopology.Seed("rvt-lpod-");
        var lab = new LabRunner(topology, new LabComponents());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var passed = false;
        try
        {
            await lab.UpAsync(new LabProgress(new StringWriter()), deadline.Token);
            using var client = KubeClient.Create(lab.Paths.Kubeconfig);
            var cloudToEdge = (topology.Names.Pod(topology.Node("cloud-2")), topology.Node("hz-2").PodAddress.ToString());
            var acrossEdges = (topology.Names.Pod(topology.Node("hz-2")), topology.Node("qd-2").PodAddress.ToString());
            foreach (var (from, to) in new[] { cloudToEdge, acrossEdges })
            {
                await Poll.UntilAsync(() => Shell.TryRun("ip", null, "netns", "exec", from, "ping", "-n", "-c", "1", "-W", "1", to).ExitCode == 0,
                    $"{from} reaches {to} before the rollout", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
            }

            var before = await AgentPodsAsync(client);
            // 5 pings a second for up to 4 minutes; stopped (SIGINT, so ping prints its summary) once the rollout is over.
            using var ping1 = BackgroundPing.Start(cloudToEdge.Item1, cloudToEdge.Item2, 1200, timeline: true);
            using var ping2 = BackgroundPing.Start(acrossEdges.Item1, acrossEdges.Item2, 1200, timeline: true);
            Kubectl(lab, "-n", "kube-system", "rollout", "restart", "daemonset/raven-agent-ds");
            await Poll.UntilAsync(async () =>
            {
                var pods = await AgentPodsAsync(client);
                return pods.Count == topology.Nodes.Count() && pods.All(p => p.Ready && !before.Any(b => b.Name == p.Name));
            }, "every node runs a new, ready agent pod", TimeSpan.FromMinutes(4), TimeSpan.FromMilliseconds(500));
            await Task.Delay(TimeSpan.FromSeconds(3)); // a few pings after the last replacement, which are part of the measurement
            var losses = new List<string>();
            foreach (var (ping, path) in new[] { (ping1, "cloud-2 -> hz-2"), (ping2, "hz-2 -> qd-2") })
            {
                Raven.Agent.Linux.Processes.ProcessSignals.Send(ping.Pid, Raven.Agent.Linux.Processes.ProcessSignals.SigInt);
                var (sent, received, text) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
                var loss = 100.0 * (sent - received) / sent;
                output.WriteLine($"rollout restart of {before.Count} agents, {path}: {sent} sent, {received} received, {loss:0.00}% lost; gaps: {string.Join(", ", LabEvidence.PingGaps(text))}");
                if (loss > 1.0)
                {
                    losses.Add($"{path}: {loss:0.00}% lost, gaps {string.Join(", ", LabEvidence.PingGaps(text))}");
                }
            }

            losses.Should().BeEmpty("the agent detaches on SIGTERM and the next adopts (at most 1 % of pings lost on each path)");

            Kubectl(lab, "delete", "-k", LabManifests.OverlayDirectory(), "--wait=true", "--timeout=120s");
            await Poll.UntilAsync(async () => (await AgentPodsAsync(client)).Count == 0, "the agent pods are gone", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
            var kubelets = new Raven.Lab.Shell.LabProcessTable(Raven.Lab.Build.LabOptions.For(topology.Names).StateDirectory).Entries()
                .Where(e => e.Key.StartsWith("kubelet-", StringComparison.Ordinal)).Select(e => e.Value.Pid).ToHashSet();
            foreach (var node in topology.Nodes)
            {
                var ns = topology.Names.Node(node);
                var host = Path.Join(lab.Paths.Root, "nodes", node.NodeName, "host");
                // docs/install.md's uninstall step, on the node's own file system (the lab's hostPath directories).
                var cleanup = Shell.TryRun("ip", null, ["netns", "exec", ns, "unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                    "mount --bind \"$1\" /var/lib/raven && mount --bind \"$2\" /var/run/wireguard && shift 2 && exec \"$@\" agent cleanup --state-dir /var/lib/raven", "sh",
                    Path.Join(host, "var/lib/raven"), Path.Join(host, "var/run/wireguard"), .. LabDaemons.RavenCommand()]);
                cleanup.ExitCode.Should().Be(0, $"cleanup on {node.NodeName}: {cleanup.StandardError}");
                Directory.Delete(Path.Join(host, "var/lib/raven"), recursive: true); // the step's `rm -rf /var/lib/raven`
                LeftOnNode(ns, host, kubelets).Should().BeEmpty($"nothing of Raven's stays on {node.NodeName}");
            }

            passed = true;
        }
        finally
        {
            LabEvidence.KeepLogs(lab, passed, output);

            await lab.DownAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_permission_taken_from_the_agents_Role_fails_the_lab_naming_it()
    {
        Root.Require();
        var topology = LabTopology.Seed("rvt-lrbac-");
        // The agent may no longer list Gateways, which its informers (the plan's input) need: it never applies a plan,
        // so it never gets Ready. (Not the Lease: the controller elects a node that never had an agent Lease on its
        // NodeReady alone, so an agent without one still works, merely without the faster failover.)
        const string granted = "  - gateways\n  verbs:\n  - get\n  - list\n  - watch\n  - update\n";
        var lab = new LabRunner(topology, new LabComponents(EditManifests: yaml =>
        {
            yaml.Split(granted).Length.Should().Be(2, "the agent's ClusterRole renders its Gateway rule exactly once, in this form");
            return yaml.Replace(granted, "  - gateways\n  verbs:\n  - get\n  - watch\n  - update\n", StringComparison.Ordinal);
        }));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            File.Exists(lab.Paths.Manifests).Should().BeFalse();
            var up = () => lab.UpAsync(new LabProgress(new StringWriter()), deadline.Token);
            var failure = (await up.Should().ThrowAsync<TimeoutException>()).Which;
            File.ReadAllText(lab.Paths.Manifests).Should().Contain("  - gateways\n  verbs:\n  - get\n  - watch\n  - update\n", "the edit took effect");
            output.WriteLine(failure.Message);
            failure.Message.Should().Contain("cannot list resource \"gateways\" in API group \"raven.openyurt.io\" at the cluster scope")
                .And.Contain("system:serviceaccount:kube-system:raven-agent-account");
        }
        finally
        {
            await lab.DownAsync(CancellationToken.None);
        }
    }

    private static void Kubectl(LabRunner lab, params string[] arguments) => Shell.Run("kubectl", ["--kubeconfig", lab.Paths.Kubeconfig, .. arguments]);

    private static async Task<List<(string Name, bool Ready)>> AgentPodsAsync(KubeClient client) =>
        [.. (await client.Api.CoreV1.ListNamespacedPodAsync("kube-system", labelSelector: "app=raven-agent")).Items
            .Select(p => (p.Metadata.Name, (p.Status?.Conditions ?? []).Any(c => c.Type == "Ready" && c.Status == "True") && p.Metadata.DeletionTimestamp is null))];

    /// <summary>
    /// What of Raven's a node still has, observed on the node: its network namespace's devices, rules, tables, xfrm
    /// state, chains and sets; the processes in it (but the lab's kubelet); Raven's files on its host paths.
    /// </summary>
    private static List<string> LeftOnNode(string ns, string host, IReadOnlySet<int> kubelets)
    {
        string In(params string[] command) => Shell.TryRun("ip", null, ["netns", "exec", ns, .. command]).StandardOutput;
        IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var left = new List<string>();
        left.AddRange(Lines(In("ip", "-o", "link")).Where(l => l.Contains("raven", StringComparison.Ordinal) || l.Contains("ipsec", StringComparison.Ordinal)).Select(l => "link " + l));
        left.AddRange(Lines(In("ip", "rule")).Where(l => l.Contains("9027", StringComparison.Ordinal) || l.Contains("9028", StringComparison.Ordinal)).Select(l => "rule " + l));
        left.AddRange(new[] { "9027", "9028" }.SelectMany(t => Lines(In("ip", "route", "show", "table", t))).Select(l => "route " + l));
        left.AddRange(Lines(In("ip", "xfrm", "state")).Concat(Lines(In("ip", "xfrm", "policy"))).Select(l => "xfrm " + l));
        left.AddRange(Lines(In("iptables-save")).Where(l => l.Contains("RAVEN", StringComparison.Ordinal)).Select(l => "iptables " + l));
        left.AddRange(Lines(In("ipset", "list", "-n")).Where(l => l.StartsWith("raven", StringComparison.Ordinal)).Select(l => "ipset " + l));
        foreach (var pid in Lines(Shell.TryRun("ip", null, "netns", "pids", ns).StandardOutput).Select(int.Parse).Where(p => !kubelets.Contains(p)))
        {
            var commandLine = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim() : "";
            if (commandLine.Length > 0)
            {
                left.Add($"process {pid}: {commandLine}");
            }
        }

        foreach (var directory in new[] { "var/lib/raven", "var/run/wireguard", "var/run/raven", "run/raven" }.Select(d => Path.Join(host, d)).Where(Directory.Exists))
        {
            left.AddRange(Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Select(f => "file " + Path.GetRelativePath(host, f)));
        }

        if (Directory.Exists(Path.Join(host, "var/lib/raven")))
        {
            left.Add("file var/lib/raven (the state directory)");
        }

        return left;
    }
}
