using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Raven.TestSupport;

namespace Raven.ApiServer.Tests;

/// <summary>The real kubectl 1.32 against the embedded server, with nothing but a generated kubeconfig.</summary>
public class KubectlTests
{
    [Fact]
    public async Task Crd_apply_get_in_both_versions_edit_status_wait_describe_and_delete()
    {
        Kubectl.Available.Should().BeTrue("kubectl is expected at /usr/bin/kubectl");
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);

        (await kubectl.OkAsync("create", "namespace", "shop")).Should().Contain("namespace/shop created");
        (await kubectl.RunAsync(["apply", "-f", "-"], TestManifests.WidgetCrd)).Out.Should().Contain("created");
        var strict = await kubectl.RunAsync(["apply", "-f", "-"], TestManifests.Widget("shop", "w1", 3));
        strict.Code.Should().NotBe(0);
        strict.Err.Should().Contain("Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.unknownField\"");
        var warned = await kubectl.RunAsync(["apply", "--validate=warn", "-f", "-"], TestManifests.Widget("shop", "w1", 3));
        warned.Out.Should().Contain("widget.test.raven.io/w1 created");
        warned.Err.Should().Contain("Warning: unknown field \"spec.unknownField\"");
        var second = await kubectl.RunAsync(["apply", "--validate=warn", "-f", "-"], TestManifests.Widget("shop", "w1", 3));
        second.Code.Should().Be(0, second.Err);
        second.Out.Should().MatchRegex("widget.test.raven.io/w1 (unchanged|configured)");
        (await kubectl.RunAsync(["apply", "--validate=ignore", "-f", "-"], TestManifests.Widget("shop", "w1", 5))).Out.Should().Contain("configured");

        var v1 = JsonNode.Parse(await kubectl.OkAsync("get", "widgets", "w1", "-n", "shop", "-o", "json"))!;
        v1["apiVersion"]!.GetValue<string>().Should().Be("test.raven.io/v1");
        v1["spec"]!["size"]!.GetValue<int>().Should().Be(5);
        v1["spec"]!.AsObject().ContainsKey("unknownField").Should().BeFalse("the v1 schema prunes unknown fields");
        v1["metadata"]!["generation"]!.GetValue<int>().Should().Be(2);
        var alpha = JsonNode.Parse(await kubectl.OkAsync("get", "widgets.v1alpha1.test.raven.io", "w1", "-n", "shop", "-o", "json"))!;
        alpha["apiVersion"]!.GetValue<string>().Should().Be("test.raven.io/v1alpha1");
        alpha["spec"]!["size"]!.GetValue<int>().Should().Be(5);

        var editor = Path.Combine(server.Dir, "editor.sh");
        await File.WriteAllTextAsync(editor, "#!/bin/sh\nsed -i 's/color: red/color: blue/' \"$1\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var edit = await kubectl.RunAsync(["edit", "wd", "w1", "-n", "shop"], env: new Dictionary<string, string> { ["KUBE_EDITOR"] = editor });
        edit.Code.Should().Be(0, edit.Err);
        (await kubectl.OkAsync("get", "wd", "w1", "-n", "shop", "-o", "jsonpath={.spec.color}")).Should().Be("blue");

        await kubectl.OkAsync("patch", "wd", "w1", "-n", "shop", "--subresource=status", "--type=merge",
            "-p", """{"status":{"ready":true,"conditions":[{"type":"Ready","status":"True"}]}}""");
        (await kubectl.OkAsync("wait", "--for=condition=Ready", "wd/w1", "-n", "shop", "--timeout=20s")).Should().Contain("condition met");
        (await kubectl.OkAsync("describe", "wd", "w1", "-n", "shop")).Should().Contain("Ready").And.Contain("blue");
        var table = await kubectl.OkAsync("get", "wd", "-n", "shop");
        table.Should().MatchRegex(@"^NAME\s+SIZE\n").And.MatchRegex(@"\nw1\s+5\n", "a real server shows the declared columns only: no Age the CRD did not ask for");
        (await kubectl.OkAsync("get", "wd", "-A", "-o", "wide")).Should().MatchRegex(@"shop\s+w1\s+5\s+blue");
        (await kubectl.OkAsync("explain", "widgets.spec.color")).Should().Contain("ENUM").And.Contain("red");

        (await kubectl.OkAsync("delete", "wd", "w1", "-n", "shop")).Should().Contain("deleted");
        var gone = await kubectl.RunAsync(["get", "wd", "w1", "-n", "shop"]);
        gone.Code.Should().NotBe(0);
        gone.Err.Should().Contain("NotFound");
    }

    [Fact]
    public async Task Node_label_annotate_and_status_patches_of_every_type()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        const string node = """{"apiVersion":"v1","kind":"Node","metadata":{"name":"edge-1"},"spec":{"podCIDR":"10.244.1.0/24"}}""";
        (await kubectl.RunAsync(["apply", "-f", "-"], node)).Out.Should().Contain("node/edge-1 created");
        (await kubectl.RunAsync(["apply", "-f", "-"], node)).Out.Should().Contain("node/edge-1 unchanged");

        await kubectl.OkAsync("label", "node", "edge-1", "raven.openyurt.io/gateway=gw-a");
        await kubectl.OkAsync("annotate", "node", "edge-1", "note=hello");
        await kubectl.OkAsync("patch", "node", "edge-1", "--subresource=status", "--type=merge",
            "-p", """{"status":{"addresses":[{"type":"InternalIP","address":"10.0.0.5"}]}}""");
        await kubectl.OkAsync("patch", "node", "edge-1", "--subresource=status",
            "-p", """{"status":{"addresses":[{"type":"Hostname","address":"edge-1"}]}}""");
        await kubectl.OkAsync("patch", "node", "edge-1", "--type=json", "-p", """[{"op":"add","path":"/spec/unschedulable","value":true}]""");
        await kubectl.OkAsync("patch", "node", "edge-1", "--type=merge", "-p", """{"status":{"addresses":[]}}""");

        var obj = JsonNode.Parse(await kubectl.OkAsync("get", "node", "edge-1", "-o", "json"))!;
        obj["metadata"]!["labels"]!["raven.openyurt.io/gateway"]!.GetValue<string>().Should().Be("gw-a");
        obj["metadata"]!["annotations"]!["note"]!.GetValue<string>().Should().Be("hello");
        obj["spec"]!["unschedulable"]!.GetValue<bool>().Should().BeTrue();
        var addresses = obj["status"]!["addresses"]!.AsArray().Select(a => a!["type"]!.GetValue<string>()).ToList();
        addresses.Should().Equal(["InternalIP", "Hostname"], "the strategic patch merges by type and the main resource ignores status");
        (await kubectl.OkAsync("get", "nodes", "-l", "raven.openyurt.io/gateway=gw-a", "-o", "name")).Trim().Should().Be("node/edge-1");
        (await kubectl.OkAsync("describe", "node", "edge-1")).Should().Contain("10.0.0.5");
    }

    [Fact]
    public async Task Get_nodes_prints_status_roles_age_version_and_with_wide_the_addresses()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        await server.CreateAsync("/api/v1/nodes", """
            {"metadata":{"name":"hz-1","labels":{"node-role.kubernetes.io/edge":""}},
             "status":{"conditions":[{"type":"Ready","status":"True"}],
              "addresses":[{"type":"InternalIP","address":"172.16.2.103"},{"type":"ExternalIP","address":"198.51.100.11"}],
              "nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian GNU/Linux 12 (bookworm)","kernelVersion":"6.1.0-41-amd64","containerRuntimeVersion":"containerd://1.7.24"}}}
            """);
        await server.CreateAsync("/api/v1/nodes", """{"metadata":{"name":"hz-2"},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"False"}]}}""");

        var plain = await kubectl.OkAsync("get", "nodes");
        var wide = await kubectl.OkAsync("get", "nodes", "-o", "wide");

        plain.Should().MatchRegex(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n");
        plain.Should().MatchRegex(@"\nhz-1\s+Ready\s+edge\s+\d+s\s+v1\.32\.4\n");
        plain.Should().MatchRegex(@"\nhz-2\s+NotReady,SchedulingDisabled\s+<none>\s+\d+s\s+\n");
        plain.Should().NotContain("INTERNAL-IP");
        wide.Should().MatchRegex(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME\n");
        wide.Should().MatchRegex(@"\nhz-1\s+Ready\s+edge\s+\d+s\s+v1\.32\.4\s+172\.16\.2\.103\s+198\.51\.100\.11\s+Debian GNU/Linux 12 \(bookworm\)\s+6\.1\.0-41-amd64\s+containerd://1\.7\.24\n");
        wide.Should().MatchRegex(@"\nhz-2\s+.*<none>\s+<none>\s+<unknown>\s+<unknown>\s+<unknown>\n");
    }

    [Fact]
    public async Task Get_services_configmaps_and_leases_print_the_columns_of_a_real_server()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        await server.CreateAsync("/api/v1/namespaces/kube-system/services", """
            {"metadata":{"name":"x-raven-proxy-internal-svc"},"spec":{"selector":{"app":"raven"},"ports":[{"name":"https-10250","port":10250,"targetPort":10263}]}}
            """);
        await kubectl.OkAsync("create", "configmap", "raven-cfg", "-n", "kube-system", "--from-literal=enable-l3-tunnel=true", "--from-literal=enable-l7-proxy=true");
        await server.CreateAsync("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", """{"metadata":{"name":"raven-agent-hz-1"},"spec":{"holderIdentity":"hz-1","leaseDurationSeconds":40}}""");

        var services = await kubectl.OkAsync("get", "svc", "-n", "kube-system", "-o", "wide");
        var configmaps = await kubectl.OkAsync("get", "cm", "-n", "kube-system");
        var leases = await kubectl.OkAsync("get", "leases", "-n", "kube-system");

        services.Should().MatchRegex(@"^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\n");
        services.Should().MatchRegex(@"\nx-raven-proxy-internal-svc\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+10250/TCP\s+\d+s\s+app=raven\n");
        configmaps.Should().MatchRegex(@"^NAME\s+DATA\s+AGE\nraven-cfg\s+2\s+\d+s\n");
        leases.Should().MatchRegex(@"^NAME\s+HOLDER\s+AGE\nraven-agent-hz-1\s+hz-1\s+\d+s\n");
    }

    [Fact]
    public async Task Get_watch_prints_an_update()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        await kubectl.OkAsync("create", "configmap", "settings", "--from-literal=mode=one");
        using var watch = kubectl.Start("get", "configmap", "settings", "-w", "-o", "custom-columns=NAME:.metadata.name,MODE:.data.mode");
        try
        {
            await ReadUntilAsync(watch.StandardOutput, "one");
            var (code, body) = await server.PatchAsync("/api/v1/namespaces/default/configmaps/settings", """{"data":{"mode":"two"}}""");
            code.Should().Be(200, body.ToJsonString());
            await ReadUntilAsync(watch.StandardOutput, "two");
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Https_kubeconfig_with_token_and_certificate_approve_signs_with_the_ca()
    {
        await using var server = await TestApiServer.StartAsync(o => o.Https = true);
        var kubectl = new Kubectl(server);
        server.Server.Url.Scheme.Should().Be("https");

        var requestPem = TestPki.SigningRequestPem("CN=tunnel-agent-client,O=openyurt:yurttunnel");
        var csr = new JsonObject
        {
            ["apiVersion"] = "certificates.k8s.io/v1",
            ["kind"] = "CertificateSigningRequest",
            ["metadata"] = new JsonObject { ["name"] = "agent-client" },
            ["spec"] = new JsonObject
            {
                ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(requestPem)),
                ["signerName"] = "kubernetes.io/kube-apiserver-client",
                ["usages"] = new JsonArray("digital signature", "client auth"),
            },
        };
        (await kubectl.RunAsync(["create", "-f", "-"], csr.ToJsonString())).Out.Should().Contain("created");
        (await kubectl.OkAsync("certificate", "approve", "agent-client")).Should().Contain("approved");

        var pem = Encoding.ASCII.GetString(Convert.FromBase64String(
            await kubectl.OkAsync("get", "csr", "agent-client", "-o", "jsonpath={.status.certificate}")));
        using var cert = X509Certificate2.CreateFromPem(pem);
        cert.Subject.Should().Contain("CN=tunnel-agent-client");
        server.Server.CertificateAuthority.Issued(cert).Should().BeTrue();

        using var anonymous = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            BaseAddress = server.Server.Url,
        };
        var denied = await anonymous.GetAsync("/api/v1/namespaces");
        ((int)denied.StatusCode).Should().Be(401);
    }

    [Fact]
    public async Task Create_generators_secrets_services_and_namespace_deletion()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        await kubectl.OkAsync("create", "namespace", "edge");
        await kubectl.OkAsync("create", "secret", "generic", "creds", "-n", "edge", "--from-literal=psk=s3cret");
        await kubectl.OkAsync("create", "service", "clusterip", "web", "-n", "edge", "--tcp=80:8080");
        var svc = JsonNode.Parse(await kubectl.OkAsync("get", "svc", "web", "-n", "edge", "-o", "json"))!;
        svc["spec"]!["clusterIP"]!.GetValue<string>().Should().StartWith("10.96.");
        svc["spec"]!["ports"]![0]!["targetPort"]!.GetValue<int>().Should().Be(8080);
        (await kubectl.OkAsync("get", "secret", "creds", "-n", "edge", "-o", "jsonpath={.data.psk}")).Should().Be(Convert.ToBase64String("s3cret"u8.ToArray()));
        (await kubectl.OkAsync("delete", "namespace", "edge")).Should().Contain("deleted");
        (await kubectl.RunAsync(["get", "secret", "creds", "-n", "edge"])).Code.Should().NotBe(0);
    }

    [Fact]
    public async Task Server_side_dry_run_and_diff_change_nothing()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        const string cm = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry"},"data":{"k":"one"}}""";
        (await kubectl.RunAsync(["apply", "--dry-run=server", "-f", "-"], cm)).Out.Should().Contain("(server dry run)");
        (await server.GetAsync("/api/v1/namespaces/default/configmaps/dry")).Code.Should().Be(404);
        (await kubectl.RunAsync(["apply", "-f", "-"], cm)).Code.Should().Be(0);
        var diff = await kubectl.RunAsync(["diff", "-f", "-"], cm.Replace("one", "two", StringComparison.Ordinal),
            new Dictionary<string, string> { ["KUBECTL_EXTERNAL_DIFF"] = "diff -u" });
        diff.Code.Should().Be(1, $"kubectl diff exits 1 when there are differences; stderr: {diff.Err}");
        diff.Out.Should().Contain("+  k: two");
        (await kubectl.OkAsync("get", "cm", "dry", "-o", "jsonpath={.data.k}")).Should().Be("one");
    }

    private static async Task ReadUntilAsync(StreamReader output, string text)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var line = await output.ReadLineAsync(cts.Token);
            line.Should().NotBeNull($"kubectl get -w should print a line containing \"{text}\"");
            if (line!.Contains(text, StringComparison.Ordinal)) return;
        }
    }
}
