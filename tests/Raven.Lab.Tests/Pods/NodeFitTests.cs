using k8s.Models;
using Raven.Lab.Pods;

namespace Raven.Lab.Tests.Pods;

public sealed class NodeFitTests
{
    private static V1Node Node(string edge, params V1Taint[] taints) => new()
    {
        Metadata = new V1ObjectMeta { Name = "n", Labels = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux", ["openyurt.io/is-edge-worker"] = edge } },
        Spec = new V1NodeSpec { Taints = taints },
    };

    [Fact]
    public void NodeSelector_and_required_affinity_pick_nodes_by_label()
    {
        var spec = new V1PodSpec
        {
            Containers = [],
            NodeSelector = new Dictionary<string, string> { ["openyurt.io/is-edge-worker"] = "false" },
            Affinity = new V1Affinity
            {
                NodeAffinity = new V1NodeAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                    {
                        NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "type", OperatorProperty = "NotIn", Values = ["virtual-kubelet"] }] }],
                    },
                },
            },
        };

        NodeFit.Fits(spec, Node("false")).Should().BeTrue();
        NodeFit.Fits(spec, Node("true")).Should().BeFalse();
    }

    [Fact]
    public void Taints_keep_pods_away_unless_tolerated_and_operator_Exists_without_a_key_tolerates_all()
    {
        var unreachable = new V1Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute" };
        var plain = new V1PodSpec { Containers = [] };
        var everything = new V1PodSpec { Containers = [], Tolerations = [new V1Toleration { OperatorProperty = "Exists" }] };
        var controlPlane = new V1PodSpec { Containers = [], Tolerations = [new V1Toleration { Key = "node-role.kubernetes.io/control-plane", OperatorProperty = "Exists", Effect = "NoSchedule" }] };

        NodeFit.Fits(plain, Node("true", unreachable)).Should().BeFalse();
        NodeFit.Fits(everything, Node("true", unreachable)).Should().BeTrue();
        NodeFit.Fits(controlPlane, Node("false", new V1Taint { Key = "node-role.kubernetes.io/control-plane", Effect = "NoSchedule" })).Should().BeTrue();
        NodeFit.Fits(controlPlane, Node("true", unreachable)).Should().BeFalse();
    }
}
