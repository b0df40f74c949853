using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Lab.Pods;
using Raven.TestSupport;

namespace Raven.Lab.Tests.Pods;

/// <summary>The lab's DaemonSet and Deployment controllers against the embedded API server, one pass at a time.</summary>
public sealed class WorkloadControllerTests : IAsyncLifetime
{
    private const string Ns = "kube-system";
    private EmbeddedCluster _cluster = null!;
    private WorkloadController _controller = null!;

    private IKubernetes Api => _cluster.Client.Api;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync();
        _controller = new WorkloadController(_cluster.Client, NullLogger.Instance);
        foreach (var (name, edge) in new[] { ("cloud-1", "false"), ("cloud-2", "false"), ("hz-1", "true"), ("hz-2", "true") })
        {
            await Api.CoreV1.CreateNodeAsync(new V1Node
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux", ["openyurt.io/is-edge-worker"] = edge } },
                Spec = new V1NodeSpec { Taints = edge == "true" ? [new V1Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute" }] : null },
            });
        }
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_DaemonSet_gets_one_named_pod_per_fitting_node_and_a_restart_replaces_them_one_unavailable_node_at_a_time()
    {
        var ds = await Api.AppsV1.CreateNamespacedDaemonSetAsync(new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "raven-agent-ds", NamespaceProperty = Ns },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "raven-agent" } },
                UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 1 } },
                Template = Template("raven-agent", [new V1Toleration { OperatorProperty = "Exists" }]),
            },
        }, Ns);

        await _controller.ReconcileOnceAsync(CancellationToken.None);
        var pods = await PodsAsync();
        pods.Select(p => p.Spec.NodeName).Should().BeEquivalentTo(["cloud-1", "cloud-2", "hz-1", "hz-2"], "every node fits, the edge taint is tolerated");
        pods.Should().OnlyContain(p => System.Text.RegularExpressions.Regex.IsMatch(p.Metadata.Name, "^raven-agent-ds-[bcdfghjklmnpqrstvwxz2456789]{5}$"));
        pods.Should().OnlyContain(p => p.Metadata.Finalizers.Contains(PodState.KubeletFinalizer) && p.Metadata.OwnerReferences.Single().Uid == ds.Metadata.Uid);
        foreach (var pod in pods)
        {
            await SetReadyAsync(pod);
        }

        await RestartAsync(ds);
        await _controller.ReconcileOnceAsync(CancellationToken.None);
        var terminating = (await PodsAsync()).Where(PodState.IsTerminating).ToList();
        terminating.Should().ContainSingle("maxUnavailable 1: one node's pod goes at a time");
        (await PodsAsync()).Should().HaveCount(4, "the replacement waits until the old pod is gone");

        await ReleaseAsync(terminating[0]); // the node's kubelet stopped it
        await _controller.ReconcileOnceAsync(CancellationToken.None);
        var replacement = (await PodsAsync()).Single(p => p.Spec.NodeName == terminating[0].Spec.NodeName);
        replacement.Metadata.Labels[PodNames.DaemonSetHashLabel].Should().NotBe(terminating[0].Metadata.Labels[PodNames.DaemonSetHashLabel]);
        await _controller.ReconcileOnceAsync(CancellationToken.None);
        (await PodsAsync()).Where(PodState.IsTerminating).Should().BeEmpty("the new pod is not ready yet, so its node still counts as unavailable");

        await SetReadyAsync(replacement);
        await _controller.ReconcileOnceAsync(CancellationToken.None);
        (await PodsAsync()).Where(PodState.IsTerminating).Should().ContainSingle("once it is ready the next node's turn comes");
    }

    [Fact]
    public async Task A_DaemonSet_honours_its_nodeSelector_and_taints()
    {
        await Api.AppsV1.CreateNamespacedDaemonSetAsync(new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "cloud-only", NamespaceProperty = Ns },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "cloud-only" } },
                Template = Template("cloud-only", null),
            },
        }, Ns);

        await _controller.ReconcileOnceAsync(CancellationToken.None);
        (await PodsAsync()).Select(p => p.Spec.NodeName).Should().BeEquivalentTo(["cloud-1", "cloud-2"], "the edge nodes' NoExecute taint is not tolerated");
    }

    [Fact]
    public async Task A_Deployment_spreads_its_replicas_and_surges_a_new_pod_before_an_old_one_goes()
    {
        var template = Template("raven-controller", null);
        template.Spec.NodeSelector = new Dictionary<string, string> { ["openyurt.io/is-edge-worker"] = "false" };
        var deployment = await Api.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "raven-controller", NamespaceProperty = Ns },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "raven-controller" } },
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 } },
                Template = template,
            },
        }, Ns);

        await _controller.ReconcileOnceAsync(CancellationToken.None);
        var pods = await PodsAsync();
        pods.Select(p => p.Spec.NodeName).Should().BeEquivalentTo(["cloud-1", "cloud-2"]);
        var hash = pods[0].Metadata.Labels[PodNames.DeploymentHashLabel];
        pods.Should().OnlyContain(p => System.Text.RegularExpressions.Regex.IsMatch(p.Metadata.Name, $"^raven-controller-{hash}-[bcdfghjklmnpqrstvwxz2456789]{{5}}$"));
        foreach (var pod in pods)
        {
            await SetReadyAsync(pod);
        }

        await RestartAsync(deployment);
        await _controller.ReconcileOnceAsync(CancellationToken.None);
        var after = await PodsAsync();
        after.Should().HaveCount(3, "maxSurge 1 adds one new pod");
        after.Where(PodState.IsTerminating).Should().BeEmpty("maxUnavailable 0: no old pod goes before a new one is ready");

        await SetReadyAsync(after.Single(p => p.Metadata.Labels[PodNames.DeploymentHashLabel] != hash));
        await _controller.ReconcileOnceAsync(CancellationToken.None);
        (await PodsAsync()).Where(PodState.IsTerminating).Should().ContainSingle().Which.Metadata.Labels[PodNames.DeploymentHashLabel].Should().Be(hash);
    }

    [Fact]
    public async Task Replicas_declaring_the_same_port_never_share_a_node_and_one_without_a_free_node_waits_for_one()
    {
        // Lab pods share their node's network namespace: the second controller on cloud-1 crash-looped on port 10272.
        var template = Template("raven-controller", null);
        template.Spec.NodeSelector = new Dictionary<string, string> { ["pool"] = "control" };
        template.Spec.Containers[0].Ports = [new V1ContainerPort { Name = "health", ContainerPort = 10272 }];
        await LabelAsync("cloud-1", "control");
        await Api.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "raven-controller", NamespaceProperty = Ns },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "raven-controller" } },
                Template = template,
            },
        }, Ns);

        await _controller.ReconcileOnceAsync(CancellationToken.None);
        var alone = await PodsAsync();
        await LabelAsync("cloud-2", "control");
        await _controller.ReconcileOnceAsync(CancellationToken.None);
        var spread = await PodsAsync();

        alone.Select(p => p.Spec.NodeName).Should().Equal(["cloud-1"], "cloud-1 already runs a pod on port 10272 and no other node fits yet");
        spread.Select(p => p.Spec.NodeName).Should().BeEquivalentTo(["cloud-1", "cloud-2"]);
    }

    private Task LabelAsync(string node, string pool) => Api.CoreV1.PatchNodeAsync(
        new V1Patch(new { metadata = new { labels = new Dictionary<string, string> { ["pool"] = pool } } }, V1Patch.PatchType.MergePatch), node);

    private static V1PodTemplateSpec Template(string app, IList<V1Toleration>? tolerations) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec
        {
            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
            Tolerations = tolerations,
            Containers = [new V1Container { Name = app, Image = "raven", Args = ["agent"] }],
        },
    };

    private async Task<List<V1Pod>> PodsAsync() => [.. (await Api.CoreV1.ListNamespacedPodAsync(Ns)).Items];

    private Task SetReadyAsync(V1Pod pod) => Api.CoreV1.PatchNamespacedPodStatusAsync(
        new V1Patch(new { status = new { phase = "Running", conditions = new[] { new { type = "Ready", status = "True" } } } }, V1Patch.PatchType.MergePatch),
        pod.Metadata.Name, Ns);

    private Task ReleaseAsync(V1Pod pod) => Api.CoreV1.PatchNamespacedPodAsync(
        new V1Patch(new { metadata = new { finalizers = Array.Empty<string>() } }, V1Patch.PatchType.MergePatch), pod.Metadata.Name, Ns);

    /// <summary>What `kubectl rollout restart` does: a new annotation on the pod template.</summary>
    private async Task RestartAsync(V1DaemonSet ds) => await Api.AppsV1.PatchNamespacedDaemonSetAsync(RestartPatch(), ds.Metadata.Name, Ns);

    private async Task RestartAsync(V1Deployment deployment) => await Api.AppsV1.PatchNamespacedDeploymentAsync(RestartPatch(), deployment.Metadata.Name, Ns);

    private static V1Patch RestartPatch() => new(
        new { spec = new { template = new { metadata = new { annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/restartedAt"] = "2026-12-02T10:00:00Z" } } } } },
        V1Patch.PatchType.MergePatch);
}
