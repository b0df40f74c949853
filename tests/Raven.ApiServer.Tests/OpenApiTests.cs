using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

/// <summary>OpenAPI: v2 is not served (404), v3 tells kubectl the server validates fields itself; CRDs print as tables.</summary>
public class OpenApiTests
{
    [Fact]
    public async Task Openapi_v2_is_404_not_an_empty_document()
    {
        await using var server = await TestApiServer.StartAsync();
        using var response = await server.Http.GetAsync("/openapi/v2");

        ((int)response.StatusCode).Should().Be(404);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"kind\":\"Status\"");
    }

    [Fact]
    public async Task Openapi_v3_lists_every_group_version_with_field_validation_on_patch()
    {
        await using var server = await TestApiServer.StartAsync();
        var (_, root) = await server.GetAsync("/openapi/v3");
        root["paths"]!.AsObject().Select(p => p.Key).Should().Contain(["api/v1", "apis/coordination.k8s.io/v1", "apis/certificates.k8s.io/v1"]);

        var (code, core) = await server.GetAsync("/openapi/v3/api/v1");
        code.Should().Be(200);
        var patch = core["paths"]!["/api/v1/namespaces/{namespace}/configmaps/{name}"]!["patch"]!;
        patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>().Should().Be("ConfigMap");
        patch["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Should().Contain("fieldValidation");
    }

    [Fact]
    public async Task Kubectl_leaves_field_validation_to_the_server_and_never_asks_for_openapi_v2()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        const string manifest = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: typo}
            data: {k: v}
            dta: {k: v}
            """;

        var (code, _, error) = await kubectl.RunAsync(["apply", "-f", "-", "-v=6"], manifest);

        code.Should().NotBe(0);
        error.Should().Contain("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"dta\"");
        error.Should().NotContain("/openapi/v2");
        (await kubectl.OkAsync("create", "configmap", "fine", "--from-literal=k=v")).Should().Contain("configmap/fine created");
    }

    [Fact]
    public async Task Custom_resource_definitions_print_name_and_created_at()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        await kubectl.RunAsync(["apply", "-f", "-"], TestManifests.WidgetCrd);

        var table = await kubectl.OkAsync("get", "crd");

        table.Should().MatchRegex(@"^NAME\s+CREATED AT\n");
        table.Should().MatchRegex(@"\nwidgets\.test\.raven\.io\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n");
    }
}
