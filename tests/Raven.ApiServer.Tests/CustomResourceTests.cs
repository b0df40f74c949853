using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

public class CustomResourceTests
{
    private const string Portals = "/apis/edge.raven.io/v1beta1/portals";

    private static async Task<TestApiServer> StartWithPortalsAsync(bool hooks = true)
    {
        var server = await TestApiServer.StartAsync(o =>
        {
            if (hooks) o.Hooks.Register("edge.raven.io", "Portal", new PortalHooks());
        });
        await server.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", TestManifests.PortalCrdJson);
        return server;
    }

    [Fact]
    public async Task Creating_a_crd_serves_every_version_in_discovery()
    {
        await using var server = await StartWithPortalsAsync();
        var (_, groups) = await server.GetAsync("/apis");
        var group = groups["groups"]!.AsArray().Single(g => g!["name"]!.GetValue<string>() == "edge.raven.io")!;
        group["preferredVersion"]!["version"]!.GetValue<string>().Should().Be("v1beta1");
        group["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<string>()).Should().Equal("v1beta1", "v1alpha1");
        var (code, resources) = await server.GetAsync("/apis/edge.raven.io/v1alpha1");
        code.Should().Be(200);
        var names = resources["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>());
        names.Should().Contain(["portals", "portals/status"]);
        var (_, crd) = await server.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/portals.edge.raven.io");
        crd["status"]!["conditions"]!.AsArray().Should().Contain(c => c!["type"]!.GetValue<string>() == "Established");
    }

    [Fact]
    public async Task A_crd_whose_printer_column_path_does_not_start_with_a_dot_is_rejected()
    {
        await using var server = await TestApiServer.StartAsync();
        var crd = JsonNode.Parse(TestManifests.PortalCrdJson)!.AsObject();
        crd["spec"]!["versions"]![0]!["additionalPrinterColumns"] = JsonNode.Parse("""[{"name":"Expose","type":"string","jsonPath":"spec.exposeType"}]""");

        var (code, status) = await server.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);

        code.Should().Be(422);
        status["message"]!.GetValue<string>().Should().Contain(
            "spec.versions[0].additionalPrinterColumns[0].jsonPath: Invalid value: \"spec.exposeType\": must be a simple json path starting with .");
    }

    [Fact]
    public async Task Invalid_object_is_422_with_causes_naming_the_field()
    {
        await using var server = await StartWithPortalsAsync();
        var (code, status) = await server.SendAsync(HttpMethod.Post, Portals,
            """{"apiVersion":"edge.raven.io/v1beta1","kind":"Portal","metadata":{"name":"p"},"spec":{"endpoints":[{"nodeName":"a","publicIP":"192.0.2.1"},{"nodeName":"b","publicIP":"not-an-ip"}]}}""");
        code.Should().Be(422);
        status["kind"]!.GetValue<string>().Should().Be("Status");
        status["reason"]!.GetValue<string>().Should().Be("Invalid");
        status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).Should().Equal("spec.endpoints[1].publicIP");
        status["message"]!.GetValue<string>().Should().Contain("not-an-ip");

        var (typeCode, typeStatus) = await server.SendAsync(HttpMethod.Post, Portals,
            """{"apiVersion":"edge.raven.io/v1beta1","kind":"Portal","metadata":{"name":"p"},"spec":{"endpoints":"oops"}}""");
        typeCode.Should().Be(422);
        typeStatus["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("spec.endpoints");
    }

    [Fact]
    public async Task Hooks_default_and_convert_between_versions_without_loss_and_prune_unknown_fields()
    {
        await using var server = await StartWithPortalsAsync();
        await server.CreateAsync("/apis/edge.raven.io/v1alpha1/portals",
            """{"apiVersion":"edge.raven.io/v1alpha1","kind":"Portal","metadata":{"name":"p"},"spec":{"endpoints":[{"nodeName":"a","publicIP":"192.0.2.1","extra":1}]},"bogus":true}""");
        var (_, beta) = await server.GetAsync(Portals + "/p");
        beta["apiVersion"]!.GetValue<string>().Should().Be("edge.raven.io/v1beta1");
        beta["spec"]!["endpoints"]![0]!["type"]!.GetValue<string>().Should().Be("tunnel");
        beta["spec"]!["endpoints"]![0]!.AsObject().ContainsKey("extra").Should().BeFalse();
        beta.ContainsKey("bogus").Should().BeFalse();

        var (patchCode, _) = await server.PatchAsync(Portals + "/p", """{"spec":{"endpoints":[{"nodeName":"a","publicIP":"192.0.2.1","type":"proxy"}]}}""");
        patchCode.Should().Be(200);
        var (_, alpha) = await server.GetAsync("/apis/edge.raven.io/v1alpha1/portals/p");
        alpha["spec"]!["endpoints"]![0]!.AsObject().ContainsKey("type").Should().BeFalse();
        var (putCode, _) = await server.PutAsync("/apis/edge.raven.io/v1alpha1/portals/p", alpha);
        putCode.Should().Be(200);
        var (_, again) = await server.GetAsync(Portals + "/p");
        again["spec"]!["endpoints"]![0]!["type"]!.GetValue<string>().Should().Be("proxy", "the v1alpha1 round trip keeps the type");
    }

    [Fact]
    public async Task Without_hooks_conversion_only_rewrites_api_version()
    {
        await using var server = await StartWithPortalsAsync(hooks: false);
        await server.CreateAsync(Portals, """{"apiVersion":"edge.raven.io/v1beta1","kind":"Portal","metadata":{"name":"p"},"spec":{"exposeType":"PublicIP"}}""");
        var (_, alpha) = await server.GetAsync("/apis/edge.raven.io/v1alpha1/portals/p");
        alpha["apiVersion"]!.GetValue<string>().Should().Be("edge.raven.io/v1alpha1");
        alpha["spec"]!["exposeType"]!.GetValue<string>().Should().Be("PublicIP");
    }

    [Fact]
    public async Task Status_subresource_isolates_status_and_spec_and_generation_follows_spec()
    {
        await using var server = await StartWithPortalsAsync();
        var created = await server.CreateAsync(Portals,
            """{"apiVersion":"edge.raven.io/v1beta1","kind":"Portal","metadata":{"name":"p"},"spec":{"exposeType":"A"},"status":{"activeEndpoints":[{"x":1}]}}""");
        created.ContainsKey("status").Should().BeFalse("create ignores status when status is a subresource");

        var (_, afterStatus) = await server.PatchAsync(Portals + "/p/status", """{"spec":{"exposeType":"B"},"status":{"activeEndpoints":[{"x":2}]}}""");
        afterStatus["spec"]!["exposeType"]!.GetValue<string>().Should().Be("A");
        afterStatus["status"]!["activeEndpoints"]![0]!["x"]!.GetValue<int>().Should().Be(2);
        afterStatus["metadata"]!["generation"]!.GetValue<int>().Should().Be(1);

        var (_, afterMain) = await server.PatchAsync(Portals + "/p", """{"spec":{"exposeType":"C"},"status":{"activeEndpoints":[]}}""");
        afterMain["spec"]!["exposeType"]!.GetValue<string>().Should().Be("C");
        afterMain["status"]!["activeEndpoints"]![0]!["x"]!.GetValue<int>().Should().Be(2);
        afterMain["metadata"]!["generation"]!.GetValue<int>().Should().Be(2);

        var (_, labelOnly) = await server.PatchAsync(Portals + "/p", """{"metadata":{"labels":{"a":"b"}}}""");
        labelOnly["metadata"]!["generation"]!.GetValue<int>().Should().Be(2, "metadata changes do not bump generation");
    }

    [Fact]
    public async Task A_status_write_is_not_judged_by_the_admission_hooks_as_webhooks_for_the_resource_are_not_called_for_status()
    {
        var data = Directory.CreateTempSubdirectory("rvt-apiserver-data-").FullName;
        try
        {
            // Stored before the rule existed (no hooks), then served with the rule: the controller's status writes must go on.
            await using (var before = await TestApiServer.StartAsync(o => o.DataDir = data))
            {
                await before.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", TestManifests.PortalCrdJson);
                await before.CreateAsync(Portals, """{"apiVersion":"edge.raven.io/v1beta1","kind":"Portal","metadata":{"name":"p"},"spec":{"endpoints":[{"nodeName":"a","publicIP":"bad"}]}}""");
            }

            await using var after = await TestApiServer.StartAsync(o =>
            {
                o.DataDir = data;
                o.Hooks.Register("edge.raven.io", "Portal", new PortalHooks());
            });

            var (statusCode, statusBody) = await after.PatchAsync(Portals + "/p/status", """{"status":{"activeEndpoints":[{"x":1}]}}""");
            var (mainCode, _) = await after.PatchAsync(Portals + "/p", """{"metadata":{"labels":{"a":"b"}}}""");

            statusCode.Should().Be(200, statusBody.ToJsonString());
            mainCode.Should().Be(422, "writes of the resource itself still go through the hooks");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Deleting_the_crd_removes_its_objects_and_stops_serving_it()
    {
        await using var server = await StartWithPortalsAsync();
        await server.CreateAsync(Portals, """{"apiVersion":"edge.raven.io/v1beta1","kind":"Portal","metadata":{"name":"p"}}""");
        var (code, _) = await server.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/portals.edge.raven.io");
        code.Should().Be(200);
        (await server.GetAsync(Portals)).Code.Should().Be(404);
        var (_, groups) = await server.GetAsync("/apis");
        groups["groups"]!.AsArray().Should().NotContain(g => g!["name"]!.GetValue<string>() == "edge.raven.io");
    }
}
