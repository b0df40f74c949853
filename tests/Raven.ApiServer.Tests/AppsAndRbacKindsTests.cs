using System.Text.Json.Nodes;
using Raven.TestSupport;

namespace Raven.ApiServer.Tests;

/// <summary>apps/v1 DaemonSets and Deployments, ServiceAccounts and the RBAC kinds: stored, checked, printed, discovered.</summary>
public class AppsAndRbacKindsTests
{
    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    private const string DaemonSets = "/apis/apps/v1/namespaces/kube-system/daemonsets";

    private static string Deployment(string name, string selector = "app: web", string labels = "app: web") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {"{"}name: {name}{"}"}
        spec:
          replicas: 2
          selector:
            matchLabels: {"{"}{selector}{"}"}
          template:
            metadata:
              labels: {"{"}{labels}{"}"}
            spec:
              containers:
              - {"{"}name: web, image: nginx:1.27{"}"}
        """;

    [Fact]
    public async Task Deployments_and_daemonsets_are_stored_with_a_status_subresource_and_printed_like_kubectl()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        (await kubectl.RunAsync(["apply", "-f", "-"], Deployment("web"))).Out.Should().Contain("deployment.apps/web created");
        (await kubectl.RunAsync(["apply", "-f", "-"], """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: raven-agent, namespace: kube-system}
            spec:
              selector: {matchLabels: {app: raven-agent}}
              template:
                metadata: {labels: {app: raven-agent}}
                spec:
                  nodeSelector: {kubernetes.io/os: linux}
                  containers: [{name: agent, image: raven:dev}]
            """)).Out.Should().Contain("daemonset.apps/raven-agent created");

        var (code, patched) = await server.PatchAsync(Deployments + "/web/status", """{"status":{"replicas":2,"readyReplicas":1,"updatedReplicas":2,"availableReplicas":1}}""");
        code.Should().Be(200, patched.ToJsonString());
        (await server.PatchAsync(Deployments + "/web", """{"status":{"readyReplicas":9}}""")).Body["status"]!["readyReplicas"]!.GetValue<int>()
            .Should().Be(1, "the main resource does not write status");
        await server.PatchAsync(DaemonSets + "/raven-agent/status", """{"status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,"numberMisscheduled":0}}""");

        (await kubectl.OkAsync("get", "deploy")).Should().MatchRegex(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n").And.MatchRegex(@"\nweb\s+1/2\s+2\s+1\s+");
        (await kubectl.OkAsync("get", "ds", "-n", "kube-system", "-o", "wide")).Should()
            .MatchRegex(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n")
            .And.MatchRegex(@"\nraven-agent\s+3\s+3\s+2\s+0\s+0\s+kubernetes.io/os=linux\s+\S+\s+agent\s+raven:dev\s+app=raven-agent\n");
        var all = await kubectl.OkAsync("get", "all", "-A");
        all.Should().Contain("deployment.apps/web").And.Contain("daemonset.apps/raven-agent");
    }

    [Theory]
    [InlineData("app: web", "app: other", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`")]
    [InlineData("", "app: web", "spec.selector: Required value")]
    public async Task A_deployment_whose_selector_does_not_select_its_template_is_422(string selector, string labels, string message)
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, status) = await server.SendAsync(HttpMethod.Post, Deployments, Deployment("bad", selector, labels), "application/yaml");
        code.Should().Be(422, status.ToJsonString());
        status["message"]!.GetValue<string>().Should().StartWith("Deployment.apps \"bad\" is invalid: ").And.Contain(message);
    }

    [Theory]
    [InlineData("clusterrolebindings", "kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\n",
        "ClusterRoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"")]
    [InlineData("clusterrolebindings", "kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\nsubjects: [{kind: ServiceAccount, name: sa}]\n",
        "ClusterRoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].namespace: Required value")]
    [InlineData("namespaces/default/roles", "kind: Role\nmetadata: {name: r}\nrules: [{nonResourceURLs: [/metrics], verbs: [get]}]\n",
        "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].nonResourceURLs: Invalid value: \"/metrics\": namespaced rules cannot apply to non-resource URLs")]
    [InlineData("clusterroles", "kind: ClusterRole\nmetadata: {name: r}\nrules: [{apiGroups: [\"\"], resources: [pods]}]\n",
        "ClusterRole.rbac.authorization.k8s.io \"r\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value")]
    public async Task Invalid_rbac_objects_are_422(string collection, string yaml, string message)
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, status) = await server.SendAsync(HttpMethod.Post, "/apis/rbac.authorization.k8s.io/v1/" + collection,
            "apiVersion: rbac.authorization.k8s.io/v1\n" + yaml, "application/yaml");
        code.Should().Be(422, status.ToJsonString());
        status["message"]!.GetValue<string>().Should().Be(message);
    }

    [Fact]
    public async Task A_binding_keeps_its_role_ref()
    {
        await using var server = await TestApiServer.StartAsync();
        const string head = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\n";
        await RbacFixtures.CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", head + "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: one}\n");
        var (code, status) = await server.PatchAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/b", """{"roleRef":{"name":"two"}}""");
        code.Should().Be(422);
        status["message"]!.GetValue<string>().Should().Contain("roleRef: Invalid value: ").And.EndWith(": cannot change roleRef");
    }

    [Fact]
    public async Task Discovery_lists_the_new_kinds_with_their_verbs_subresources_and_the_all_category()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        var resources = await kubectl.OkAsync("api-resources", "-o", "wide");
        resources.Should().MatchRegex(@"\ndeployments\s+deploy\s+apps/v1\s+true\s+Deployment\s+create,delete,deletecollection,get,list,patch,update,watch\s+all\n");
        resources.Should().MatchRegex(@"\nselfsubjectaccessreviews\s+authorization.k8s.io/v1\s+false\s+SelfSubjectAccessReview\s+create\s*\n");
        resources.Should().MatchRegex(@"\nclusterrolebindings\s+rbac.authorization.k8s.io/v1\s+false\s+ClusterRoleBinding\s+");
        resources.Should().MatchRegex(@"\nserviceaccounts\s+sa\s+v1\s+true\s+ServiceAccount\s+");
        (await kubectl.OkAsync("api-resources", "--categories=all", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().BeEquivalentTo("pods", "services", "daemonsets.apps", "deployments.apps");
        var (_, core) = await server.GetAsync("/api/v1");
        var token = core["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "serviceaccounts/token")!;
        token["kind"]!.GetValue<string>().Should().Be("TokenRequest");
        token["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("create");
    }

    [Fact]
    public async Task A_csr_records_who_asked_for_it()
    {
        await using var server = await TestApiServer.StartAsync();
        await RbacFixtures.ServiceAccountAsync(server, "kube-system", "raven-agent");
        await RbacFixtures.CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: csr}\nrules: [{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}]\n");
        await RbacFixtures.CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: csr}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: csr}\nsubjects: [{kind: ServiceAccount, name: raven-agent, namespace: kube-system}]\n");
        var token = await RbacFixtures.TokenAsync(server, "kube-system", "raven-agent");
        var pem = TestPki.SigningRequestPem("CN=x");
        var body = new JsonObject
        {
            ["apiVersion"] = "certificates.k8s.io/v1",
            ["kind"] = "CertificateSigningRequest",
            ["metadata"] = new JsonObject { ["name"] = "mine" },
            ["spec"] = new JsonObject
            {
                ["request"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem)),
                ["signerName"] = "kubernetes.io/kube-apiserver-client",
                ["usages"] = new JsonArray("client auth"),
                ["username"] = "system:node:pretend",
            },
        };

        var (code, created) = await RbacFixtures.AsAsync(server, token, HttpMethod.Post, "/apis/certificates.k8s.io/v1/certificatesigningrequests", body.ToJsonString());

        code.Should().Be(201, created.ToJsonString());
        created["spec"]!["username"]!.GetValue<string>().Should().Be("system:serviceaccount:kube-system:raven-agent");
        created["spec"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()).Should().Contain("system:serviceaccounts:kube-system");
    }
}
