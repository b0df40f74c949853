using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

/// <summary>Server-side apply, managedFields in FieldsV1, conflicts with the real messages, YAML bodies.</summary>
public class ServerSideApplyTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private const string Apply = "application/apply-patch+yaml";

    private static string Crd => Path.Combine(AppContext.BaseDirectory, "crds", "raven.openyurt.io_gateways.yaml");

    private static JsonObject Owner(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().Single(e => e["manager"]!.GetValue<string>() == manager);

    [Fact]
    public async Task Kubectl_applies_the_deploy_crd_server_side_and_then_a_gateway()
    {
        await using var server = await TestApiServer.StartAsync(o => Raven.ApiServer.Gateways.GatewayResourceHooks.Register(o.Hooks));
        var kubectl = new Kubectl(server);

        (await kubectl.OkAsync("apply", "--server-side", "-f", Crd)).Should().Contain("customresourcedefinition.apiextensions.k8s.io/gateways.raven.openyurt.io serverside-applied");
        (await kubectl.OkAsync("apply", "--server-side", "-f", Crd)).Should().Contain("serverside-applied");
        var gateway = """
            apiVersion: raven.openyurt.io/v1beta1
            kind: Gateway
            metadata: {name: gw-a}
            spec:
              endpoints:
              - {nodeName: n1, type: tunnel, underNAT: true}
            """;
        (await kubectl.RunAsync(["apply", "--server-side", "-f", "-"], gateway)).Out.Should().Contain("gateway.raven.openyurt.io/gw-a serverside-applied");

        var crd = JsonNode.Parse(await kubectl.OkAsync("get", "crd", "gateways.raven.openyurt.io", "-o", "json", "--show-managed-fields"))!.AsObject();
        var entry = Owner(crd, "kubectl");
        entry["operation"]!.GetValue<string>().Should().Be("Apply");
        entry["fieldsType"]!.GetValue<string>().Should().Be("FieldsV1");
        entry["fieldsV1"]!["f:spec"]!["f:group"].Should().NotBeNull();
        (await kubectl.OkAsync("get", "gw", "gw-a", "-o", "jsonpath={.spec.endpoints[0].nodeName}")).Should().Be("n1");
    }

    [Fact]
    public async Task Taking_a_field_from_client_side_apply_conflicts_with_the_real_message_until_forced()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        await kubectl.RunAsync(["apply", "-f", "-"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v1, j: x}\n");
        const string mine = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v2}\n";

        var refused = await kubectl.RunAsync(["apply", "--server-side", "--field-manager=ops", "-f", "-"], mine);
        refused.Code.Should().NotBe(0);
        refused.Err.Should().Contain("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.k");
        var forced = await kubectl.RunAsync(["apply", "--server-side", "--field-manager=ops", "--force-conflicts", "-f", "-"], mine);
        forced.Code.Should().Be(0, forced.Err);

        var (_, cm) = await server.GetAsync(ConfigMaps + "/cfg");
        cm["data"]!["k"]!.GetValue<string>().Should().Be("v2");
        // kubectl then moves the client-side manager's fields to "ops" (a JSON patch of managedFields) and applies
        // again, so what the manifest no longer names goes, as on a real cluster.
        cm["data"]!.ToJsonString().Should().Be("""{"k":"v2"}""");
        cm["metadata"]!["managedFields"]!.AsArray().Should().ContainSingle();
        Owner(cm, "ops")["fieldsV1"]!.ToJsonString().Should().Be("""{"f:data":{"f:k":{}}}""");
    }

    [Fact]
    public async Task Several_conflicts_are_listed_per_manager()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldManager=writer", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"1"}}""");

        var (code, status) = await server.PatchAsync(ConfigMaps + "/c?fieldManager=applier", "data: {a: '2', b: '2'}\nmetadata: {name: c}\napiVersion: v1\nkind: ConfigMap\n", Apply);

        code.Should().Be(409, status.ToJsonString());
        status["reason"]!.GetValue<string>().Should().Be("Conflict");
        status["message"]!.GetValue<string>().Should().Be("Apply failed with 2 conflicts: conflicts with \"writer\" using v1:\n- .data.a\n- .data.b");
        status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).Should().Equal(".data.a", ".data.b");
        status["details"]!["causes"]![0]!["reason"]!.GetValue<string>().Should().Be("conflict");
    }

    [Fact]
    public async Task Same_values_are_shared_and_fields_an_applier_drops_are_removed_unless_someone_else_owns_them()
    {
        await using var server = await TestApiServer.StartAsync();
        const string head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
        (await server.PatchAsync(ConfigMaps + "/c?fieldManager=one", head + "  labels: {x: '1', y: '1'}\ndata: {shared: s, mine: m}\n", Apply)).Code.Should().Be(201);
        (await server.PatchAsync(ConfigMaps + "/c?fieldManager=two", head + "data: {shared: s}\n", Apply)).Code.Should().Be(200, "same value: no conflict");

        var (code, cm) = await server.PatchAsync(ConfigMaps + "/c?fieldManager=one", head + "  labels: {x: '1'}\n", Apply);

        code.Should().Be(200, cm.ToJsonString());
        cm["metadata"]!["labels"]!.ToJsonString().Should().Be("""{"x":"1"}""", "label y was only one's");
        cm["data"]!.ToJsonString().Should().Be("""{"shared":"s"}""", "'mine' goes, 'shared' stays with two");
        Owner(cm, "two")["fieldsV1"]!.ToJsonString().Should().Be("""{"f:data":{"f:shared":{}}}""");
    }

    [Fact]
    public async Task Keyed_lists_merge_item_by_item_and_conflicts_name_the_item()
    {
        await using var server = await TestApiServer.StartAsync();
        const string pods = "/api/v1/namespaces/default/pods";
        const string head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n";
        (await server.PatchAsync(pods + "/p?fieldManager=a", head + "  - {name: one, image: busybox:1}\n", Apply)).Code.Should().Be(201);
        var (code, pod) = await server.PatchAsync(pods + "/p?fieldManager=b", head + "  - {name: two, image: nginx:1}\n", Apply);
        code.Should().Be(200, pod.ToJsonString());
        pod["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Should().Equal("one", "two");
        Owner(pod, "a")["fieldsV1"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"one\"}"]!.ToJsonString().Should().Be("""{".":{},"f:image":{},"f:name":{}}""");

        var (conflict, status) = await server.PatchAsync(pods + "/p?fieldManager=b", head + "  - {name: one, image: busybox:2}\n", Apply);
        conflict.Should().Be(409);
        status["message"]!.GetValue<string>().Should().Be("Apply failed with 1 conflict: conflict with \"a\": .spec.containers[name=\"one\"].image");
    }

    [Fact]
    public async Task Apply_needs_a_field_manager_and_force_belongs_to_apply_only()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync(ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""");

        var (code, status) = await server.PatchAsync(ConfigMaps + "/c", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", Apply);
        var (forceCode, force) = await server.PatchAsync(ConfigMaps + "/c?force=true", """{"data":{"a":"b"}}""");

        code.Should().Be(422);
        status["message"]!.GetValue<string>().Should().Be("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        forceCode.Should().Be(422);
        force["message"]!.GetValue<string>().Should().Be("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
    }

    [Fact]
    public async Task Strategic_merge_patch_of_a_custom_resource_is_415()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        await kubectl.RunAsync(["apply", "-f", "-"], TestManifests.WidgetCrd);
        await kubectl.RunAsync(["create", "namespace", "shop"]);
        const string widgets = "/apis/test.raven.io/v1/namespaces/shop/widgets";
        await server.CreateAsync(widgets, """{"apiVersion":"test.raven.io/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1}}""");

        var (code, status) = await server.PatchAsync(widgets + "/w", """{"spec":{"size":2}}""", "application/strategic-merge-patch+json");
        var (applied, widget) = await server.PatchAsync(widgets + "/w?fieldManager=ops", "apiVersion: test.raven.io/v1\nkind: Widget\nmetadata: {name: w}\nspec: {color: blue}\n", Apply);

        code.Should().Be(415);
        status["message"]!.GetValue<string>().Should().Be(
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        applied.Should().Be(200, widget.ToJsonString());
        widget["spec"]!.ToJsonString().Should().Be("""{"size":1,"color":"blue"}""");
    }

    [Fact]
    public async Task Yaml_bodies_create_and_update_and_writes_record_update_managers()
    {
        await using var server = await TestApiServer.StartAsync();
        var (created, cm) = await server.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldManager=yaml-writer",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yml\ndata:\n  k: \"1\"\n", "application/yaml");
        created.Should().Be(201, cm.ToJsonString());
        var entry = Owner(cm, "yaml-writer");
        entry["operation"]!.GetValue<string>().Should().Be("Update");
        entry["apiVersion"]!.GetValue<string>().Should().Be("v1");
        entry["fieldsV1"]!.ToJsonString().Should().Be("""{"f:data":{"f:k":{}}}""");

        var (updated, after) = await server.SendAsync(HttpMethod.Put, ConfigMaps + "/yml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yml\ndata:\n  k: \"2\"\n", "application/yaml");
        updated.Should().Be(200, after.ToJsonString());
        after["data"]!["k"]!.GetValue<string>().Should().Be("2");
        var (bad, status) = await server.SendAsync(HttpMethod.Post, ConfigMaps, "a: [", "application/yaml");
        bad.Should().Be(400);
        status["message"]!.GetValue<string>().Should().StartWith("error converting YAML to JSON");
        var (yes, typed) = await server.SendAsync(HttpMethod.Post, ConfigMaps, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n", "application/yaml");
        yes.Should().Be(422, "YAML 1.1 reads a plain y as true, as kube-apiserver's YAML decoder does");
        typed["message"]!.GetValue<string>().Should().Be("ConfigMap \"\" is invalid: metadata.name: Invalid value: true: must be of type string");
    }
}
