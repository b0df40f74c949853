using Raven.ApiServer;
using Raven.ApiServer.Gateways;

namespace Raven.Cli.Tests.Deploy;

/// <summary>
/// The rendered manifests applied with kubectl to the embedded API server (which enforces RBAC for service
/// accounts), then asked, as each component's ServiceAccount, whether each call that component's code makes is
/// allowed and whether calls it never makes are refused.
/// </summary>
public class DeployRbacTests(DeployRbacTests.InstalledServer server) : IClassFixture<DeployRbacTests.InstalledServer>
{
    private const string Agent = "system:serviceaccount:kube-system:raven-agent-account";
    private const string Controller = "system:serviceaccount:kube-system:raven-controller";
    private const string ProxyUser = "tunnel-proxy-client";

    /// <summary>(who, kubectl auth can-i arguments): every call in src/Raven.Agent and src/Raven.Controller.</summary>
    public static TheoryData<string, string> Needed() => new()
    {
        // Agent: Engine/KubeAgentInputs, Engine/KubeGatewayPublisher, Proxy/ProxyHost.
        { Agent, "list gateways.raven.openyurt.io" },
        { Agent, "watch gateways.raven.openyurt.io" },
        { Agent, "get gateways.raven.openyurt.io" },
        { Agent, "update gateways.raven.openyurt.io" },
        { Agent, "list nodes" },
        { Agent, "watch nodes" },
        { Agent, "get pods -n default" },
        { Agent, "create certificatesigningrequests.certificates.k8s.io" },
        { Agent, "get certificatesigningrequests.certificates.k8s.io" },
        { Agent, "list configmaps -n kube-system" },
        { Agent, "watch configmaps -n kube-system" },
        { Agent, "list services -n kube-system" },
        { Agent, "watch services -n kube-system" },
        { Agent, "get leases.coordination.k8s.io -n kube-system" },
        { Agent, "create leases.coordination.k8s.io -n kube-system" },
        { Agent, "update leases.coordination.k8s.io -n kube-system" },
        // The proxy server's user towards kubelets.
        { ProxyUser, "get nodes --subresource=proxy" },
        { ProxyUser, "create nodes --subresource=proxy" },
        { ProxyUser, "get nodes --subresource=stats" },
        { ProxyUser, "get nodes --subresource=log" },
        { ProxyUser, "get nodes --subresource=metrics" },
        // Controller: Runtime/ClusterCache informers, the reconcilers, leader election, events.
        { Controller, "list gateways.raven.openyurt.io" },
        { Controller, "watch gateways.raven.openyurt.io" },
        { Controller, "get gateways.raven.openyurt.io" },
        { Controller, "create gateways.raven.openyurt.io" },
        { Controller, "patch gateways.raven.openyurt.io" },
        { Controller, "delete gateways.raven.openyurt.io" },
        { Controller, "get gateways.raven.openyurt.io --subresource=status" },
        { Controller, "update gateways.raven.openyurt.io --subresource=status" },
        { Controller, "list nodes" },
        { Controller, "watch nodes" },
        { Controller, "list certificatesigningrequests.certificates.k8s.io" },
        { Controller, "watch certificatesigningrequests.certificates.k8s.io" },
        { Controller, "update certificatesigningrequests.certificates.k8s.io --subresource=approval" },
        { Controller, "create events -n default" },
        { Controller, "create events -n kube-system" },
        { Controller, "list blockaffinities.crd.projectcalico.org" },
        { Controller, "get configmaps -n kube-system" },
        { Controller, "list configmaps -n kube-system" },
        { Controller, "watch configmaps -n kube-system" },
        { Controller, "create configmaps -n kube-system" },
        { Controller, "update configmaps -n kube-system" },
        { Controller, "create services -n kube-system" },
        { Controller, "update services -n kube-system" },
        { Controller, "delete services -n kube-system" },
        { Controller, "watch endpoints -n kube-system" },
        { Controller, "create endpoints -n kube-system" },
        { Controller, "update endpoints -n kube-system" },
        { Controller, "delete endpoints -n kube-system" },
        { Controller, "list leases.coordination.k8s.io -n kube-system" },
        { Controller, "get leases.coordination.k8s.io -n kube-system" },
        { Controller, "create leases.coordination.k8s.io -n kube-system" },
        { Controller, "update leases.coordination.k8s.io -n kube-system" },
    };

    /// <summary>Calls no component makes; each must be refused.</summary>
    public static TheoryData<string, string> Refused() => new()
    {
        { Agent, "delete secrets -n kube-system" },
        { Agent, "get secrets -n kube-system" },
        { Agent, "list secrets -n kube-system" },
        { Agent, "delete gateways.raven.openyurt.io" },
        { Agent, "patch gateways.raven.openyurt.io" },
        { Agent, "update nodes" },
        { Agent, "create pods -n kube-system" },
        { Agent, "list configmaps -n default" },
        { Agent, "update configmaps -n kube-system" },
        { Agent, "update certificatesigningrequests.certificates.k8s.io --subresource=approval" },
        { Agent, "delete leases.coordination.k8s.io -n kube-system" },
        { Controller, "delete secrets -n kube-system" },
        { Controller, "get secrets -n kube-system" },
        { Controller, "update nodes" },
        { Controller, "delete nodes" },
        { Controller, "delete configmaps -n kube-system" },
        { Controller, "list configmaps -n default" },
        { Controller, "create pods -n kube-system" },
        { Controller, "update daemonsets.apps -n kube-system" },
        { Controller, "create clusterrolebindings.rbac.authorization.k8s.io" },
        { ProxyUser, "get nodes" },
        { ProxyUser, "delete nodes --subresource=proxy" },
        { ProxyUser, "get secrets -n kube-system" },
    };

    [Theory]
    [MemberData(nameof(Needed))]
    public async Task Each_call_a_component_makes_is_allowed(string who, string check)
    {
        var (code, output, error) = await CanIAsync(server, who, check);

        output.Trim().Should().Be("yes", $"{who} must be allowed to {check} ({error.Trim()})");
        code.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Calls_no_component_makes_are_refused(string who, string check)
    {
        var (code, output, _) = await CanIAsync(server, who, check);

        output.Trim().Should().Be("no", $"{who} must not be allowed to {check}");
        code.Should().Be(1);
    }

    [Fact]
    public async Task The_rendered_objects_are_stored_with_their_names()
    {
        var (code, output, error) = await KubectlProcess.RunAsync(
            ["get", "daemonset/raven-agent-ds", "deployment/raven-controller", "serviceaccount/raven-agent-account", "serviceaccount/raven-controller",
             "configmap/raven-cfg", "configmap/raven-agent-config", "-n", "kube-system", "-o", "name"], server.Kubeconfig);

        code.Should().Be(0, error);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(6);
    }

    private static Task<(int Code, string Out, string Err)> CanIAsync(InstalledServer server, string who, string check) =>
        KubectlProcess.RunAsync(["auth", "can-i", .. check.Split(' '), "--as=" + who], server.Kubeconfig);

    /// <summary>One server for the class: applying the manifests takes seconds, the checks only read.</summary>
    public sealed class InstalledServer : IAsyncLifetime
    {
        private readonly EmbeddedApiServer _server = RavenApiServer.Create(new EmbeddedApiServerOptions { Https = true });
        private readonly string _dir = Directory.CreateTempSubdirectory("rvt-deploy-rbac-").FullName;

        public string Kubeconfig => Path.Combine(_dir, "kubeconfig");

        public async Task InitializeAsync()
        {
            await _server.StartAsync();
            _server.WriteKubeconfig(Kubeconfig);
            // The lab overlay: the same RBAC as every overlay (KustomizeOverlayTests), without the admission
            // objects this server does not serve.
            var rendered = await RenderedOverlay.RenderAsync("lab");
            var (code, _, error) = await KubectlProcess.RunAsync(["apply", "-f", "-"], Kubeconfig, rendered.Yaml);
            code.Should().Be(0, error);
            // Calico's resource, so kubectl can resolve it for the controller's blockaffinities rule.
            (code, _, error) = await KubectlProcess.RunAsync(["apply", "-f", "-"], Kubeconfig, CalicoBlockAffinityCrd);
            code.Should().Be(0, error);
        }

        private const string CalicoBlockAffinityCrd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: blockaffinities.crd.projectcalico.org}
            spec:
              group: crd.projectcalico.org
              names: {kind: BlockAffinity, listKind: BlockAffinityList, plural: blockaffinities, singular: blockaffinity}
              scope: Cluster
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """;

        public async Task DisposeAsync()
        {
            await _server.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
