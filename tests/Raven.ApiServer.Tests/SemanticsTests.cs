using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

public class SemanticsTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_409_conflict()
    {
        await using var server = await TestApiServer.StartAsync();
        var created = await server.CreateAsync(ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"v":"1"}}""");
        var stale = (JsonObject)created.DeepClone();
        var (okCode, _) = await server.PatchAsync(ConfigMaps + "/a", """{"data":{"v":"2"}}""");
        okCode.Should().Be(200);
        stale["data"]!["v"] = "3";
        var (code, status) = await server.PutAsync(ConfigMaps + "/a", stale);
        code.Should().Be(409);
        status["reason"]!.GetValue<string>().Should().Be("Conflict");
        status["message"]!.GetValue<string>().Should().Contain("the object has been modified");
    }

    [Fact]
    public async Task Create_stamps_metadata_and_generate_name_and_rejects_duplicates()
    {
        await using var server = await TestApiServer.StartAsync();
        var created = await server.CreateAsync(ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"cfg-"}}""");
        var meta = created["metadata"]!;
        meta["name"]!.GetValue<string>().Should().MatchRegex("^cfg-[a-z0-9]{5}$");
        meta["uid"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        meta["creationTimestamp"]!.GetValue<string>().Should().EndWith("Z");
        meta["namespace"]!.GetValue<string>().Should().Be("default");
        var (code, status) = await server.SendAsync(HttpMethod.Post, ConfigMaps, created.ToJsonString());
        code.Should().Be(409);
        status["reason"]!.GetValue<string>().Should().Be("AlreadyExists");
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue()
    {
        await using var server = await TestApiServer.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await server.CreateAsync(ConfigMaps, $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c{{{i}}}"}}""");
        }

        var names = new List<string>();
        var path = ConfigMaps + "?limit=2";
        var pages = 0;
        while (true)
        {
            var (code, list) = await server.GetAsync(path);
            code.Should().Be(200);
            pages++;
            names.AddRange(list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
            var token = list["metadata"]!["continue"]?.GetValue<string>();
            if (token is null) break;
            path = ConfigMaps + "?limit=2&continue=" + Uri.EscapeDataString(token);
        }

        pages.Should().Be(3);
        names.Should().Equal("c0", "c1", "c2", "c3", "c4");
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_lists()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync("/api/v1/namespaces/default/pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","labels":{"app":"x","tier":"edge"}},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox"}]}}""");
        await server.CreateAsync("/api/v1/namespaces/default/pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p2","labels":{"app":"y"}},"spec":{"nodeName":"n2","containers":[{"name":"c","image":"busybox"}]}}""");
        async Task<IEnumerable<string>> Names(string query)
        {
            var (code, list) = await server.GetAsync("/api/v1/pods?" + query);
            code.Should().Be(200, list.ToJsonString());
            return list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();
        }

        (await Names("labelSelector=app%3Dx")).Should().Equal("p1");
        (await Names("labelSelector=app!%3Dx")).Should().Equal("p2");
        (await Names("labelSelector=app%20notin%20(x)")).Should().Equal("p2");
        (await Names("labelSelector=tier")).Should().Equal("p1");
        (await Names("labelSelector=!tier")).Should().Equal("p2");
        (await Names("labelSelector=app%20in%20(x,y),app%3D%3Dy")).Should().Equal("p2");
        (await Names("fieldSelector=spec.nodeName%3Dn2")).Should().Equal("p2");
        (await Names("fieldSelector=status.phase%3DPending,metadata.name!%3Dp2")).Should().Equal("p1");
    }

    [Fact]
    public async Task Finalizers_delay_deletion_until_the_last_one_is_removed()
    {
        await using var server = await TestApiServer.StartAsync();
        var created = await server.CreateAsync(ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"f","finalizers":["a/x","b/y"]}}""");
        using var watch = await WatchReader.OpenAsync(server.Http,
            $"{ConfigMaps}?watch=1&resourceVersion={created["metadata"]!["resourceVersion"]}");
        var (code, marked) = await server.DeleteAsync(ConfigMaps + "/f");
        code.Should().Be(200);
        marked["metadata"]!["deletionTimestamp"].Should().NotBeNull();
        (await server.GetAsync(ConfigMaps + "/f")).Code.Should().Be(200);

        await server.PatchAsync(ConfigMaps + "/f", """[{"op":"remove","path":"/metadata/finalizers/0"}]""", "application/json-patch+json");
        (await server.GetAsync(ConfigMaps + "/f")).Code.Should().Be(200);
        await server.PatchAsync(ConfigMaps + "/f", """{"metadata":{"finalizers":null}}""");
        (await server.GetAsync(ConfigMaps + "/f")).Code.Should().Be(404);
        var deleted = await watch.NextMatchingAsync(e => e["type"]!.GetValue<string>() == "DELETED");
        deleted["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("f");
    }

    [Fact]
    public async Task Delete_preconditions_and_namespace_deletion_removes_contents()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"tmp"}}""");
        await server.CreateAsync("/api/v1/namespaces/tmp/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""");
        var (preCode, _) = await server.DeleteAsync("/api/v1/namespaces/tmp/configmaps/c", """{"preconditions":{"uid":"wrong"}}""");
        preCode.Should().Be(409);

        (await server.DeleteAsync("/api/v1/namespaces/tmp")).Code.Should().Be(200);
        (await server.GetAsync("/api/v1/namespaces/tmp/configmaps/c")).Code.Should().Be(404);
        (await server.GetAsync("/api/v1/namespaces/tmp")).Code.Should().Be(404);
        (await server.GetAsync("/api/v1/namespaces/kube-system")).Code.Should().Be(200);
    }

    [Fact]
    public async Task Strategic_patch_merges_containers_by_name_and_services_get_cluster_ips()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync("/api/v1/namespaces/default/pods",
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}""");
        var (_, pod) = await server.PatchAsync("/api/v1/namespaces/default/pods/p",
            """{"spec":{"containers":[{"name":"b","image":"z"}]}}""", "application/strategic-merge-patch+json");
        pod["spec"]!["containers"]!.AsArray().Select(c => c!["image"]!.GetValue<string>()).Should().Equal("x", "z");

        var svc = await server.CreateAsync("/api/v1/namespaces/default/services",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}""");
        svc["spec"]!["clusterIP"]!.GetValue<string>().Should().StartWith("10.96.");
        var headless = await server.CreateAsync("/api/v1/namespaces/default/services",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"h"},"spec":{"clusterIP":"None"}}""");
        headless["spec"]!["clusterIP"]!.GetValue<string>().Should().Be("None");
    }

    [Fact]
    public async Task Objects_survive_a_restart_with_the_same_data_dir()
    {
        var dir = Directory.CreateTempSubdirectory("rvt-apiserver-data-").FullName;
        try
        {
            string rv;
            await using (var first = await TestApiServer.StartAsync(o => o.DataDir = dir))
            {
                var created = await first.CreateAsync(ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kept"},"data":{"k":"v"}}""");
                rv = created["metadata"]!["resourceVersion"]!.GetValue<string>();
                await first.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", TestManifests.PortalCrdJson);
                await first.CreateAsync("/apis/edge.raven.io/v1beta1/portals", """{"apiVersion":"edge.raven.io/v1beta1","kind":"Portal","metadata":{"name":"p"}}""");
            }

            await using var second = await TestApiServer.StartAsync(o => o.DataDir = dir);
            var (code, obj) = await second.GetAsync(ConfigMaps + "/kept");
            code.Should().Be(200);
            obj["data"]!["k"]!.GetValue<string>().Should().Be("v");
            (await second.GetAsync("/apis/edge.raven.io/v1alpha1/portals/p")).Code.Should().Be(200, "stored CRDs are served again after a restart");
            var next = await second.CreateAsync(ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"new"}}""");
            long.Parse(next["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
                .Should().BeGreaterThan(long.Parse(rv, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Deleting_an_owner_collects_dependents_unless_orphaned()
    {
        await using var server = await TestApiServer.StartAsync();
        async Task<string> Owner(string name) =>
            (await server.CreateAsync(ConfigMaps, $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"}}"""))["metadata"]!["uid"]!.GetValue<string>();
        Task Dependent(string name, string uid) => server.CreateAsync(ConfigMaps,
            $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"o","uid":"{{{uid}}}"}]}}""");

        await Dependent("dep", await Owner("owner"));
        await Dependent("kept", await Owner("orphaner"));
        (await server.DeleteAsync(ConfigMaps + "/owner")).Code.Should().Be(200);
        (await server.DeleteAsync(ConfigMaps + "/orphaner", """{"propagationPolicy":"Orphan"}""")).Code.Should().Be(200);
        (await server.GetAsync(ConfigMaps + "/dep")).Code.Should().Be(404);
        (await server.GetAsync(ConfigMaps + "/kept")).Code.Should().Be(200);
    }
}
