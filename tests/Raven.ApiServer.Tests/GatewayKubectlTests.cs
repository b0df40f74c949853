using Raven.ApiServer.Gateways;
using Raven.ApiServer.Tests;

namespace Raven.ApiServer.Tests;

/// <summary>The real kubectl against our API server with the Gateway CRD and Raven's admission.</summary>
public sealed class GatewayKubectlTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private Kubectl _kubectl = null!;

    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);

    private static string Crd => Path.Combine(AppContext.BaseDirectory, "crds", "raven.openyurt.io_gateways.yaml");

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(o => GatewayResourceHooks.Register(o.Hooks));
        _kubectl = new Kubectl(_server);
        await _kubectl.OkAsync("apply", "-f", Crd);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_seed_manual_applies_and_reads_in_both_versions()
    {
        await _kubectl.OkAsync("apply", "--validate=warn", "-f", Example("seed-manual-gateways.yaml"));

        var names = await _kubectl.OkAsync("get", "gw", "-o", "jsonpath={.items[*].metadata.name}");
        var beta = await _kubectl.OkAsync("get", "gateways.v1beta1.raven.openyurt.io", "gw-hangzhou", "-o", "jsonpath={.spec.endpoints[*].type} {.spec.nodeSelector.matchLabels}");
        var alpha = await _kubectl.OkAsync("get", "gateways.v1alpha1.raven.openyurt.io", "gw-hangzhou", "-o", "jsonpath={.apiVersion} {.spec.endpoints[*].nodeName}");
        var qingdao = await _kubectl.OkAsync("get", "gw", "gw-qingdao", "-o", "jsonpath={.spec.endpoints[*].type}");

        names.Split(' ').Should().BeEquivalentTo("gw-cloud", "gw-hangzhou", "gw-qingdao");
        beta.Should().Be("proxy tunnel {\"raven.openyurt.io/gateway\":\"gw-hangzhou\"}");
        alpha.Should().Be("raven.openyurt.io/v1alpha1 izbp15inok0kbfkg3in52rz izbp15inok0kbfkg3in52rz");
        qingdao.Should().Be("tunnel tunnel", "the v1alpha1 document's proxy/tunnel types were pruned, as a real server does");
    }

    [Fact]
    public async Task Kubectl_strict_validation_refuses_the_manuals_v1alpha1_documents_with_the_fields_it_does_not_know()
    {
        var (code, _, error) = await _kubectl.RunAsync(["apply", "-f", Example("seed-manual-gateways.yaml")]);

        code.Should().NotBe(0, "kubectl's default --validate=strict sends fieldValidation=Strict, as against a real server");
        error.Should().Contain("Gateway in version \"v1alpha1\" cannot be handled as a Gateway: strict decoding error: " +
            "unknown field \"spec.endpoints[0].port\", unknown field \"spec.endpoints[0].type\"");
        error.Should().Contain("unknown field \"spec.proxyConfig\"");
        var warned = await _kubectl.RunAsync(["apply", "--validate=warn", "-f", Example("seed-manual-gateways.yaml")]);
        warned.Code.Should().Be(0, warned.Err);
        warned.Err.Should().Contain("Warning: unknown field \"spec.tunnelConfig\"");
    }

    [Fact]
    public async Task Applying_again_is_unchanged()
    {
        await _kubectl.OkAsync("apply", "--validate=warn", "-f", Example("seed-manual-gateways.yaml"));

        var second = await _kubectl.OkAsync("apply", "--validate=warn", "-f", Example("seed-manual-gateways.yaml"));

        second.Should().Contain("gateway.raven.openyurt.io/gw-hangzhou unchanged");
    }

    [Fact]
    public async Task An_invalid_gateway_is_rejected_with_every_field_named()
    {
        const string bad = """
            apiVersion: raven.openyurt.io/v1beta1
            kind: Gateway
            metadata:
              name: gw-bad
            spec:
              exposeType: Internet
              tunnelConfig:
                Replicas: 2
              endpoints:
              - nodeName: n1
                type: tunel
                publicIP: 1.2.3
            """;

        var (code, _, error) = await _kubectl.RunAsync(["apply", "-f", "-"], bad);

        code.Should().NotBe(0);
        error.Should().Contain("spec.exposeType").And.Contain("spec.tunnelConfig.Replicas").And.Contain("spec.endpoints[0].type").And.Contain("spec.endpoints[0].publicIP");
    }

    [Fact]
    public async Task A_v1alpha1_round_trip_through_kubectl_keeps_v1beta1_fields()
    {
        await _kubectl.OkAsync("apply", "--validate=warn", "-f", Example("seed-manual-gateways.yaml"));
        var alphaJson = await _kubectl.OkAsync("get", "gateways.v1alpha1.raven.openyurt.io", "gw-hangzhou", "-o", "json");

        await _kubectl.RunAsync(["replace", "-f", "-"], alphaJson);
        var types = await _kubectl.OkAsync("get", "gw", "gw-hangzhou", "-o", "jsonpath={.spec.endpoints[*].type} {.spec.proxyConfig.Replicas}");

        types.Should().Be("proxy tunnel 1");
    }

    [Fact]
    public async Task Label_annotate_and_patch_status_of_nodes()
    {
        await _kubectl.RunAsync(["create", "-f", "-"], """{"apiVersion":"v1","kind":"Node","metadata":{"name":"hz-1"}}""");

        await _kubectl.OkAsync("label", "node", "hz-1", "raven.openyurt.io/gateway=gw-hangzhou");
        await _kubectl.OkAsync("annotate", "node", "hz-1", "note=edge");
        await _kubectl.OkAsync("patch", "node", "hz-1", "--subresource=status", "--type=merge", "-p",
            """{"status":{"addresses":[{"type":"InternalIP","address":"172.16.2.103"}],"conditions":[{"type":"Ready","status":"True"}]}}""");
        var shown = await _kubectl.OkAsync("get", "node", "-l", "raven.openyurt.io/gateway=gw-hangzhou", "-o", "jsonpath={.items[0].status.addresses[0].address} {.items[0].metadata.annotations.note}");

        shown.Should().Be("172.16.2.103 edge");
    }

    [Fact]
    public async Task Get_gw_prints_the_expose_type_the_elected_nodes_and_readiness()
    {
        var applied = await _kubectl.RunAsync(["apply", "-f", "-"], """
            apiVersion: raven.openyurt.io/v1beta1
            kind: Gateway
            metadata: {name: gw-cloud}
            spec:
              exposeType: PublicIP
              proxyConfig: {Replicas: 1}
              tunnelConfig: {Replicas: 1}
              endpoints:
              - {nodeName: izwz9dohcv74iegqecp4axz, type: tunnel}
              - {nodeName: izwz9dohcv74iegqecp4axz, type: proxy}
            ---
            apiVersion: raven.openyurt.io/v1beta1
            kind: Gateway
            metadata: {name: gw-hangzhou}
            spec:
              proxyConfig: {Replicas: 0}
              tunnelConfig: {Replicas: 1}
              endpoints:
              - {nodeName: izbp15inok0kbfkg3in52rz, type: tunnel, underNAT: true}
            """);
        applied.Code.Should().Be(0, applied.Err);
        const string elected = """
            {"status":{
              "activeEndpoints":[{"nodeName":"izwz9dohcv74iegqecp4axz","type":"tunnel","port":4500,"publicIP":"203.0.113.10"},
                                 {"nodeName":"izwz9dohcv74iegqecp4axz","type":"proxy","port":10262,"publicIP":"203.0.113.10"}],
              "conditions":[{"type":"Ready","status":"True","reason":"Elected","message":"ok","lastTransitionTime":"2026-03-01T00:00:00Z"},
                            {"type":"TunnelElected","status":"True","reason":"Elected","message":"ok","lastTransitionTime":"2026-03-01T00:00:00Z"}]}}
            """;
        await _kubectl.OkAsync("patch", "gw", "gw-cloud", "--subresource=status", "--type=merge", "-p", elected);
        await _kubectl.OkAsync("patch", "gw", "gw-hangzhou", "--subresource=status", "--type=merge", "-p", """
            {"status":{"conditions":[{"type":"Ready","status":"False","reason":"NoEligibleEndpoint","message":"none","lastTransitionTime":"2026-03-01T00:00:00Z"}]}}
            """);

        var table = await _kubectl.OkAsync("get", "gw");
        var alpha = await _kubectl.OkAsync("get", "gateways.v1alpha1.raven.openyurt.io", "gw-cloud");

        table.Should().MatchRegex(@"^NAME\s+EXPOSE\s+TUNNEL\s+PROXY\s+READY\s+AGE\n");
        table.Should().MatchRegex(@"\ngw-cloud\s+PublicIP\s+izwz9dohcv74iegqecp4axz\s+izwz9dohcv74iegqecp4axz\s+True\s+\d+s\n");
        table.Should().MatchRegex(@"\ngw-hangzhou {20,}False\s+\d+s\n", "columns whose path selects nothing are null cells, which kubectl leaves blank");
        table.Split('\n').Should().HaveCount(4, "a header, two gateways and the final newline");
        alpha.Should().MatchRegex(@"^NAME\s+ACTIVEENDPOINT\s+AGE\ngw-cloud\s+izwz9dohcv74iegqecp4axz\s+\d+s\n", "v1alpha1 has its own column");
    }

    private const string TunnelOnlyWithOneProxyReplica = """
        apiVersion: raven.openyurt.io/v1beta1
        kind: Gateway
        metadata:
          name: gw-edge
        spec:
          proxyConfig:
            Replicas: 1
          tunnelConfig:
            Replicas: 1
          endpoints:
          - nodeName: edge-1
            type: tunnel
            underNAT: true
        """;

    [Fact]
    public async Task One_proxy_replica_with_only_a_tunnel_endpoint_is_created_with_a_warning_as_openyurt_creates_it()
    {
        var (code, output, error) = await _kubectl.RunAsync(["apply", "-f", "-"], TunnelOnlyWithOneProxyReplica);

        code.Should().Be(0, error);
        output.Should().Contain("gateway.raven.openyurt.io/gw-edge created");
        error.Should().Contain("Warning: spec.proxyConfig.Replicas: Invalid value: 1: no endpoint of type proxy is listed, so no proxy endpoint is elected");
    }

    [Fact]
    public async Task The_api_server_answers_201_with_the_warning_in_a_warning_header()
    {
        var json = """
            {"apiVersion":"raven.openyurt.io/v1beta1","kind":"Gateway","metadata":{"name":"gw-edge"},
             "spec":{"proxyConfig":{"Replicas":1},"tunnelConfig":{"Replicas":1},"endpoints":[{"nodeName":"edge-1","type":"tunnel","underNAT":true}]}}
            """;
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await _server.Http.PostAsync("/apis/raven.openyurt.io/v1beta1/gateways", content);

        ((int)response.StatusCode).Should().Be(201, await response.Content.ReadAsStringAsync());
        response.Headers.GetValues("Warning").Should().Equal(
            "299 - \"spec.proxyConfig.Replicas: Invalid value: 1: no endpoint of type proxy is listed, so no proxy endpoint is elected\"");
    }

    [Fact]
    public async Task A_rejection_names_each_field_once()
    {
        var (code, status) = await _server.SendAsync(HttpMethod.Post, "/apis/raven.openyurt.io/v1beta1/gateways", """
            {"apiVersion":"raven.openyurt.io/v1beta1","kind":"Gateway","metadata":{"name":"gw-bad"},
             "spec":{"exposeType":"Internet","proxyConfig":{"Replicas":0},"tunnelConfig":{"Replicas":1}}}
            """);

        code.Should().Be(422);
        status["message"]!.GetValue<string>().Should().Be(
            "Gateway.raven.openyurt.io \"gw-bad\" is invalid: spec.exposeType: Unsupported value: \"Internet\": supported values: \"\" (not exposed), \"PublicIP\", \"LoadBalancer\"");
        var cause = status["details"]!["causes"]!.AsArray().Single()!;
        cause["field"]!.GetValue<string>().Should().Be("spec.exposeType");
        cause["message"]!.GetValue<string>().Should().StartWith("Unsupported value: \"Internet\"");
    }
}
