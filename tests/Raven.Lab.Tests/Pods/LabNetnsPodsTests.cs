using k8s;
using Raven.Lab.Pods;
using Raven.Lab.Run;
using Raven.Lab.Topology;
using Raven.TestSupport;

namespace Raven.Lab.Tests.Pods;

/// <summary>The lab's network-namespace pods as Pod objects, written to the embedded API server as `lab up` writes them.</summary>
public sealed class LabNetnsPodsTests
{
    [Fact]
    public async Task Each_node_gets_a_Running_pod_at_its_namespace_address_that_no_kubelet_runs()
    {
        var topology = LabTopology.Seed("rvt-tr-");
        await using var cluster = await EmbeddedCluster.StartAsync();

        await LabNetnsPods.RegisterAsync(cluster.Client, topology, CancellationToken.None);
        await LabNetnsPods.RegisterAsync(cluster.Client, topology, CancellationToken.None); // idempotent

        var pods = (await cluster.Client.Api.CoreV1.ListNamespacedPodAsync("default")).Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        pods.Select(p => p.Metadata.Name).Should().Equal(topology.Nodes.Select(n => "p-" + n.LabName).Order(StringComparer.Ordinal));
        var hz2 = pods.Single(p => p.Metadata.Name == "p-hz-2");
        hz2.Spec.NodeName.Should().Be("hz-2");
        hz2.Status.Phase.Should().Be("Running");
        hz2.Status.PodIP.Should().Be("10.244.19.2");
        hz2.Status.PodIPs.Should().ContainSingle().Which.Ip.Should().Be("10.244.19.2");
        hz2.Metadata.Annotations[PodState.NetnsPodAnnotation].Should().Be("rvt-tr-p-hz-2");
        pods.Should().OnlyContain(p => PodState.IsNetnsPod(p) && (p.Metadata.Finalizers == null || p.Metadata.Finalizers.Count == 0),
            "the kubelet stand-in skips them, so nothing may wait for it to release them");
    }
}
