using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Raven.TestSupport;
using static Raven.ApiServer.Tests.RbacFixtures;

namespace Raven.ApiServer.Tests;

/// <summary>Authentication (tokens, client certificates, impersonation) and RBAC authorization with real semantics and messages.</summary>
public class RbacTests
{
    private const string Agent = "system:serviceaccount:kube-system:raven-agent";

    [Fact]
    public async Task Kubectl_auth_can_i_as_the_agent_answers_from_the_rbac_objects()
    {
        await using var server = await TestApiServer.StartAsync(o => o.Https = true);
        var kubectl = new Kubectl(server);
        var before = await kubectl.RunAsync(["auth", "can-i", "list", "nodes", "--as=" + Agent]);
        before.Out.Trim().Should().Be("no", before.Err);

        await kubectl.RunAsync(["apply", "-f", "-"], AgentRbac);

        (await kubectl.RunAsync(["auth", "can-i", "list", "nodes", "--as=" + Agent])).Out.Trim().Should().Be("yes");
        (await kubectl.RunAsync(["auth", "can-i", "patch", "nodes", "--subresource=status", "--as=" + Agent])).Out.Trim().Should().Be("yes");
        var delete = await kubectl.RunAsync(["auth", "can-i", "delete", "nodes", "--as=" + Agent]);
        delete.Out.Trim().Should().Be("no");
        delete.Code.Should().Be(1);
        (await kubectl.RunAsync(["auth", "can-i", "list", "configmaps", "-n", "kube-system", "--as=" + Agent])).Out.Trim().Should().Be("no");
        (await kubectl.RunAsync(["auth", "can-i", "list", "nodes"])).Out.Trim().Should().Be("yes", "the server's own credential may do everything");
    }

    [Fact]
    public async Task A_token_from_kubectl_create_token_is_the_service_account_with_its_rbac()
    {
        await using var server = await TestApiServer.StartAsync(o => o.Https = true);
        var kubectl = new Kubectl(server);
        await kubectl.RunAsync(["apply", "-f", "-"], AgentRbac);
        var token = (await kubectl.OkAsync("create", "token", "raven-agent", "-n", "kube-system")).Trim();

        var whoami = await kubectl.OkAsync("auth", "whoami", "--token=" + token);
        var nodes = await kubectl.RunAsync(["get", "nodes", "--token=" + token]);
        var maps = await kubectl.RunAsync(["get", "configmaps", "-n", "kube-system", "--token=" + token]);

        whoami.Should().MatchRegex($@"Username\s+{Agent}").And.Contain("system:serviceaccounts:kube-system").And.Contain("system:authenticated");
        nodes.Code.Should().Be(0, nodes.Err);
        maps.Code.Should().NotBe(0);
        maps.Err.Trim().Should().Be($"Error from server (Forbidden): configmaps is forbidden: User \"{Agent}\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"kube-system\"");
    }

    [Fact]
    public async Task Denials_carry_the_real_message_for_every_scope()
    {
        await using var server = await TestApiServer.StartAsync();
        await ServiceAccountAsync(server, "kube-system", "raven-agent");
        var token = await TokenAsync(server, "kube-system", "raven-agent");

        var list = await AsAsync(server, token, HttpMethod.Get, "/api/v1/nodes");
        var get = await AsAsync(server, token, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/x");
        var status = await AsAsync(server, token, HttpMethod.Patch, "/api/v1/nodes/n1/status", "{}", "application/merge-patch+json");
        var path = await AsAsync(server, token, HttpMethod.Get, "/metrics");
        var grouped = await AsAsync(server, token, HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", "{}");

        list.Code.Should().Be(403);
        list.Body["reason"]!.GetValue<string>().Should().Be("Forbidden");
        list.Body["message"]!.GetValue<string>().Should().Be($"nodes is forbidden: User \"{Agent}\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");
        get.Body["message"]!.GetValue<string>().Should().Be($"configmaps \"x\" is forbidden: User \"{Agent}\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"");
        status.Body["message"]!.GetValue<string>().Should().Be($"nodes \"n1\" is forbidden: User \"{Agent}\" cannot patch resource \"nodes/status\" in API group \"\" at the cluster scope");
        path.Body["message"]!.GetValue<string>().Should().Be($"forbidden: User \"{Agent}\" cannot get path \"/metrics\"");
        grouped.Body["message"]!.GetValue<string>().Should().Be($"deployments.apps is forbidden: User \"{Agent}\" cannot create resource \"deployments\" in API group \"apps\" in the namespace \"default\"");
        (await AsAsync(server, token, HttpMethod.Get, "/apis")).Code.Should().Be(200, "discovery is open to every authenticated user");
    }

    [Fact]
    public async Task Rules_match_groups_resources_subresources_verbs_names_and_urls_like_kubernetes()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}""");
        await ServiceAccountAsync(server, "team", "bot");
        await server.CreateAsync("/api/v1/namespaces/team/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"mine"}}""");
        await server.CreateAsync("/api/v1/namespaces/team/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}""");
        await server.CreateAsync("/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""");
        await CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: bot}
            rules:
            - {apiGroups: [""], resources: [configmaps], resourceNames: [mine], verbs: [get, patch]}
            - {apiGroups: ["*"], resources: [leases], verbs: ["*"]}
            - {apiGroups: [""], resources: [pods], verbs: [watch]}
            """);
        await CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: bot}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: bot}
            subjects: [{kind: ServiceAccount, name: bot}]
            """);
        await CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/clusterroles", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: status-writer}
            rules:
            - {apiGroups: [""], resources: ["*/status"], verbs: [update, patch]}
            - {nonResourceURLs: ["/metrics", "/debug/*"], verbs: [get]}
            """);
        await CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: status-writer}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: status-writer}
            subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: "system:serviceaccounts:team"}]
            """);
        var token = await TokenAsync(server, "team", "bot");

        async Task<int> Code(HttpMethod method, string path, string? body = null, string type = "application/json") =>
            (await AsAsync(server, token, method, path, body, type)).Code;

        (await Code(HttpMethod.Get, "/api/v1/namespaces/team/configmaps/mine")).Should().Be(200, "named in resourceNames");
        (await Code(HttpMethod.Get, "/api/v1/namespaces/team/configmaps/other")).Should().Be(403, "not named");
        (await Code(HttpMethod.Get, "/api/v1/namespaces/team/configmaps")).Should().Be(403, "resourceNames never allow a list");
        (await Code(HttpMethod.Patch, "/api/v1/namespaces/team/configmaps/mine", """{"data":{"a":"b"}}""", "application/merge-patch+json")).Should().Be(200);
        (await Code(HttpMethod.Delete, "/api/v1/namespaces/team/configmaps/mine")).Should().Be(403, "delete is not among the verbs");
        (await Code(HttpMethod.Get, "/apis/coordination.k8s.io/v1/namespaces/team/leases")).Should().Be(200, "* matches every group and verb");
        (await Code(HttpMethod.Delete, "/apis/coordination.k8s.io/v1/namespaces/team/leases")).Should().Be(200, "deletecollection is covered by *");
        (await Code(HttpMethod.Get, "/apis/coordination.k8s.io/v1/namespaces/default/leases")).Should().Be(403, "a RoleBinding grants only its namespace");
        (await Code(HttpMethod.Get, "/api/v1/namespaces/team/pods")).Should().Be(403, "watch does not grant list");
        (await Code(HttpMethod.Get, "/api/v1/namespaces/team/pods?watch=1&timeoutSeconds=1")).Should().Be(200);
        (await Code(HttpMethod.Patch, "/api/v1/nodes/n1/status", """{"status":{"phase":"x"}}""", "application/merge-patch+json")).Should().Be(200, "*/status matches nodes/status");
        (await Code(HttpMethod.Patch, "/api/v1/nodes/n1", "{}", "application/merge-patch+json")).Should().Be(403, "*/status does not match the node itself");
        (await Code(HttpMethod.Get, "/metrics")).Should().Be(200, "allowed by nonResourceURLs");
        (await Code(HttpMethod.Get, "/debug/pprof")).Should().Be(404, "a trailing * matches the prefix");
        (await Code(HttpMethod.Get, "/other")).Should().Be(403);
    }

    [Fact]
    public async Task Impersonation_needs_the_impersonate_verb()
    {
        await using var server = await TestApiServer.StartAsync();
        await ServiceAccountAsync(server, "kube-system", "raven-agent");
        var token = await TokenAsync(server, "kube-system", "raven-agent");
        var asAlice = new Dictionary<string, string> { ["Impersonate-User"] = "alice" };

        var denied = await AsAsync(server, token, HttpMethod.Get, "/api/v1/nodes", headers: asAlice);
        denied.Code.Should().Be(403);
        denied.Body["message"]!.GetValue<string>().Should().Be($"users \"alice\" is forbidden: User \"{Agent}\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");

        await CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: imp}\nrules: [{apiGroups: [\"\"], resources: [users], resourceNames: [alice], verbs: [impersonate]}]\n");
        await CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {{name: imp}}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: imp}}\nsubjects: [{{kind: ServiceAccount, name: raven-agent, namespace: kube-system}}]\n");
        var review = await AsAsync(server, token, HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", headers: asAlice);
        review.Code.Should().Be(201, review.Body.ToJsonString());
        review.Body["status"]!["userInfo"]!["username"]!.GetValue<string>().Should().Be("alice");
        var asBob = await AsAsync(server, token, HttpMethod.Get, "/api/v1/nodes", headers: new Dictionary<string, string> { ["Impersonate-User"] = "bob" });
        asBob.Code.Should().Be(403, "resourceNames limit whom one may impersonate");
    }

    [Fact]
    public async Task Tokens_are_checked_on_every_listener_including_the_unix_socket()
    {
        var dir = Directory.CreateTempSubdirectory("rvt-sock-").FullName;
        var socket = Path.Combine(dir, "api.sock");
        await using var server = await TestApiServer.StartAsync(o => o.UnixSocketPath = socket, dir);
        await ServiceAccountAsync(server, "kube-system", "raven-agent");
        var token = await TokenAsync(server, "kube-system", "raven-agent");
        var foreign = await TokenAsync(server, "kube-system", "raven-agent", """{"audiences":["vault"]}""");
        using var overSocket = UnixClient(socket);

        (await AsAsync(server, null, HttpMethod.Get, "/api/v1/namespaces/default/configmaps", http: overSocket)).Code.Should().Be(200, "the socket without a token is the admin");
        (await AsAsync(server, token, HttpMethod.Get, "/api/v1/namespaces/default/configmaps", http: overSocket)).Code.Should().Be(403, "with a token it is that user");
        (await AsAsync(server, token, HttpMethod.Get, "/api/v1/namespaces/default/configmaps")).Code.Should().Be(403, "on plain TCP too");
        (await AsAsync(server, "not-a-token", HttpMethod.Get, "/api/v1/nodes", http: overSocket)).Code.Should().Be(401);
        (await AsAsync(server, foreign, HttpMethod.Get, "/api/v1/nodes", http: overSocket)).Code.Should().Be(401, "a token for another audience is not for the API server");
        (await server.DeleteAsync("/api/v1/namespaces/kube-system/serviceaccounts/raven-agent")).Code.Should().Be(200);
        (await AsAsync(server, token, HttpMethod.Get, "/api/v1/nodes", http: overSocket)).Code.Should().Be(401, "the token's ServiceAccount is gone");
    }

    private static HttpClient UnixClient(string socket) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            await s.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket), ct);
            return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://localhost/") };

    [Fact]
    public async Task Token_review_and_subject_access_review_answer_for_others()
    {
        await using var server = await TestApiServer.StartAsync();
        await RbacFixtures.CreateAsync(server, "/api/v1/namespaces/kube-system/serviceaccounts", AgentRbac.Split("---")[0]);
        foreach (var doc in AgentRbac.Split("---").Skip(1))
        {
            var plural = doc.Contains("kind: ClusterRoleBinding", StringComparison.Ordinal) ? "clusterrolebindings" : "clusterroles";
            await RbacFixtures.CreateAsync(server, "/apis/rbac.authorization.k8s.io/v1/" + plural, doc);
        }

        var token = await TokenAsync(server, "kube-system", "raven-agent");
        var (_, reviewed) = await server.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{token}}}"}}""");
        var (_, access) = await server.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            $$$$"""{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"{{{{Agent}}}}","groups":["system:serviceaccounts"],"resourceAttributes":{"verb":"watch","resource":"nodes"}}}""");

        reviewed["status"]!["authenticated"]!.GetValue<bool>().Should().BeTrue();
        reviewed["status"]!["user"]!["username"]!.GetValue<string>().Should().Be(Agent);
        access["status"]!["allowed"]!.GetValue<bool>().Should().BeTrue();
        access["status"]!["reason"]!.GetValue<string>().Should().Be(
            "RBAC: allowed by ClusterRoleBinding \"raven-agent\" of ClusterRole \"raven-agent\" to ServiceAccount \"raven-agent/kube-system\"");
    }

    [Fact]
    public async Task A_client_certificate_is_the_user_in_its_cn_with_its_o_groups()
    {
        await using var server = await TestApiServer.StartAsync(o => o.Https = true);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var issued = server.Server.CertificateAuthority.Sign(TestPki.SigningRequest("CN=alice,O=devs,O=ops", key), now.AddMinutes(-1), now.AddHours(1));
        using var certificate = TestPki.WithKey(issued, key);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && server.Server.CertificateAuthority.Issued(cert),
            ClientCertificateOptions = ClientCertificateOption.Manual,
        };
        handler.ClientCertificates.Add(certificate);
        using var http = new HttpClient(handler) { BaseAddress = server.Server.Url };

        using var review = await http.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews",
            new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", System.Text.Encoding.UTF8, "application/json"));
        using var nodes = await http.GetAsync("/api/v1/nodes");

        var info = JsonNode.Parse(await review.Content.ReadAsStringAsync())!["status"]!["userInfo"]!;
        info["username"]!.GetValue<string>().Should().Be("alice");
        info["groups"]!.AsArray().Select(g => g!.GetValue<string>()).Should().Equal("devs", "ops", "system:authenticated");
        ((int)nodes.StatusCode).Should().Be(403);
    }

    [Fact]
    public async Task Service_account_tokens_survive_a_restart_with_the_data_directory()
    {
        var data = Directory.CreateTempSubdirectory("rvt-sa-").FullName;
        try
        {
            string token;
            await using (var first = await TestApiServer.StartAsync(o => o.DataDir = data, Directory.CreateTempSubdirectory("rvt-a-").FullName))
            {
                await ServiceAccountAsync(first, "kube-system", "raven-agent");
                token = await TokenAsync(first, "kube-system", "raven-agent");
            }

            await using var second = await TestApiServer.StartAsync(o => o.DataDir = data, Directory.CreateTempSubdirectory("rvt-b-").FullName);
            var (code, review) = await AsAsync(second, token, HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");
            code.Should().Be(201, review.ToJsonString());
            review["status"]!["userInfo"]!["username"]!.GetValue<string>().Should().Be(Agent);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Token_requests_are_checked()
    {
        await using var server = await TestApiServer.StartAsync();
        await ServiceAccountAsync(server, "kube-system", "raven-agent");
        const string path = "/api/v1/namespaces/kube-system/serviceaccounts/{0}/token";

        var (missing, _) = await server.SendAsync(HttpMethod.Post, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "nobody"), "{}");
        var (shortCode, tooShort) = await server.SendAsync(HttpMethod.Post, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "raven-agent"),
            """{"spec":{"expirationSeconds":60}}""");
        var (created, ok) = await server.SendAsync(HttpMethod.Post, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "raven-agent"),
            """{"spec":{"expirationSeconds":1200}}""");

        missing.Should().Be(404);
        shortCode.Should().Be(422);
        tooShort["message"]!.GetValue<string>().Should().Contain("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes");
        created.Should().Be(201);
        ok["spec"]!["expirationSeconds"]!.GetValue<long>().Should().Be(1200);
        DateTimeOffset.Parse(ok["status"]!["expirationTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow.AddSeconds(1200), TimeSpan.FromMinutes(1));
    }
}
