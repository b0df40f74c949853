using k8s.Models;
using Raven.Lab.Pods;

namespace Raven.Lab.Tests.Pods;

public sealed class PodNamesTests
{
    [Fact]
    public void DaemonSet_and_Deployment_pods_are_named_as_their_controllers_name_them()
    {
        PodNames.ForDaemonSet("raven-agent-ds").Should().MatchRegex("^raven-agent-ds-[bcdfghjklmnpqrstvwxz2456789]{5}$");
        PodNames.ForDeployment("raven-controller", "5d9c7b8f4").Should().MatchRegex("^raven-controller-5d9c7b8f4-[bcdfghjklmnpqrstvwxz2456789]{5}$");
    }

    [Fact]
    public void The_template_hash_changes_with_a_restart_annotation_and_only_then()
    {
        static V1PodTemplateSpec Template(string? restartedAt) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Labels = new Dictionary<string, string> { ["app"] = "raven-agent" },
                Annotations = restartedAt is null ? null : new Dictionary<string, string> { ["kubectl.kubernetes.io/restartedAt"] = restartedAt },
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "raven-agent", Image = "raven" }] },
        };

        PodNames.TemplateHash(Template(null)).Should().Be(PodNames.TemplateHash(Template(null)));
        PodNames.TemplateHash(Template("2026-12-02T10:00:00Z")).Should().NotBe(PodNames.TemplateHash(Template(null)));
        PodNames.TemplateHash(Template(null)).Should().MatchRegex("^[bcdfghjklmnpqrstvwxz2456789]+$");
    }
}
