using k8s.Models;
using Raven.Lab.Pods;

namespace Raven.Lab.Tests.Pods;

public sealed class ContainerEnvironmentTests
{
    private static readonly V1Pod Pod = new()
    {
        Metadata = new V1ObjectMeta { Name = "raven-agent-ds-x7k2p", NamespaceProperty = "kube-system", Uid = "u-1", Labels = new Dictionary<string, string> { ["app"] = "raven-agent" } },
        Spec = new V1PodSpec { NodeName = "hz-1", ServiceAccountName = "raven-agent-account", Containers = [] },
    };

    private static readonly PodObjects Objects = new(
        new Dictionary<string, IReadOnlyDictionary<string, string>> { ["raven-agent-config"] = new Dictionary<string, string> { ["vpn-driver"] = "wireguard", ["bad key"] = "x" } },
        new Dictionary<string, IReadOnlyDictionary<string, string>> { ["raven-agent-secret"] = new Dictionary<string, string> { ["vpn-connection-psk"] = "s3cret" } });

    private static readonly KeyValuePair<string, string>[] Service = [new("KUBERNETES_SERVICE_HOST", "127.0.0.1"), new("KUBERNETES_SERVICE_PORT", "6443")];

    private static Dictionary<string, string> Resolve(V1Container container) =>
        ContainerEnvironment.Resolve(Pod, container, "172.16.2.103", "172.16.2.103", Objects, Service).ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Downward_API_fields_resolve_as_a_kubelet_resolves_them()
    {
        var env = Resolve(new V1Container
        {
            Name = "agent",
            Env =
            [
                new V1EnvVar { Name = "NODE_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
                new V1EnvVar { Name = "NODE_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.hostIP" } } },
                new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                new V1EnvVar { Name = "NS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                new V1EnvVar { Name = "APP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['app']" } } },
            ],
        });

        env.Should().Contain("NODE_NAME", "hz-1").And.Contain("NODE_IP", "172.16.2.103").And.Contain("POD", "raven-agent-ds-x7k2p")
            .And.Contain("NS", "kube-system").And.Contain("APP", "raven-agent").And.Contain("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    }

    [Fact]
    public void Key_references_and_envFrom_read_ConfigMaps_and_Secrets_and_skip_invalid_names()
    {
        var env = Resolve(new V1Container
        {
            Name = "agent",
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "raven-agent-config" }, Prefix = "CFG_" }],
            Env =
            [
                new V1EnvVar { Name = "PSK", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "raven-agent-secret", Key = "vpn-connection-psk" } } },
                new V1EnvVar { Name = "DRIVER", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "raven-agent-config", Key = "vpn-driver" } } },
                new V1EnvVar { Name = "MISSING", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "absent", Key = "k", Optional = true } } },
            ],
        });

        env.Should().Contain("PSK", "s3cret").And.Contain("DRIVER", "wireguard").And.Contain("CFG_vpn-driver", "wireguard");
        env.Should().NotContainKey("MISSING").And.NotContainKey("CFG_bad key");
    }

    [Fact]
    public void A_required_missing_key_is_a_container_config_error_naming_it()
    {
        var act = () => Resolve(new V1Container
        {
            Name = "agent",
            Env = [new V1EnvVar { Name = "PSK", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "raven-agent-secret", Key = "nope" } } }],
        });

        act.Should().Throw<ContainerConfigException>().WithMessage("*couldn't find key nope in secret raven-agent-secret*");
    }

    [Fact]
    public void Values_and_args_expand_earlier_variables_keep_unknown_ones_and_unescape_double_dollars()
    {
        var env = ContainerEnvironment.Resolve(Pod, new V1Container
        {
            Name = "agent",
            Env =
            [
                new V1EnvVar { Name = "NODE_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
                new V1EnvVar { Name = "GREETING", Value = "on $(NODE_NAME) via $(KUBERNETES_SERVICE_HOST), $(LATER) costs $$(NODE_NAME)" },
                new V1EnvVar { Name = "LATER", Value = "x" },
            ],
        }, "172.16.2.103", "172.16.2.103", Objects, Service);

        env.Single(p => p.Key == "GREETING").Value.Should().Be("on hz-1 via 127.0.0.1, $(LATER) costs $(NODE_NAME)");
        ContainerEnvironment.ExpandAll(["--node-name=$(NODE_NAME)", "--x=$(UNSET)"], env).Should().Equal("--node-name=hz-1", "--x=$(UNSET)");
    }
}
