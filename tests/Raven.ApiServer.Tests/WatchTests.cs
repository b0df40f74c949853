using System.Globalization;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

public class WatchTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    private static string Cm(string name, string value, string labels = "{}") =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","labels":{{{labels}}}},"data":{"v":"{{{value}}}"}}""";

    private static string Rv(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    [Fact]
    public async Task Watch_from_a_resource_version_sends_only_later_events_in_order()
    {
        await using var server = await TestApiServer.StartAsync();
        var first = await server.CreateAsync(ConfigMaps, Cm("a", "1"));
        await server.CreateAsync(ConfigMaps, Cm("b", "1"));
        using var watch = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=1&resourceVersion={Rv(first)}");
        var added = await watch.NextAsync();
        added!["type"]!.GetValue<string>().Should().Be("ADDED");
        added["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("b");

        await server.PatchAsync(ConfigMaps + "/a", """{"data":{"v":"2"}}""");
        await server.DeleteAsync(ConfigMaps + "/b");
        var modified = await watch.NextAsync();
        modified!["type"]!.GetValue<string>().Should().Be("MODIFIED");
        modified["object"]!["data"]!["v"]!.GetValue<string>().Should().Be("2");
        var deleted = await watch.NextAsync();
        deleted!["type"]!.GetValue<string>().Should().Be("DELETED");
        long.Parse(Rv(deleted["object"]!.AsObject()), CultureInfo.InvariantCulture)
            .Should().BeGreaterThan(long.Parse(Rv(modified["object"]!.AsObject()), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_without_resource_version_starts_with_the_current_objects_and_filters_by_selector()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync(ConfigMaps, Cm("a", "1", """{"tier":"edge"}"""));
        await server.CreateAsync(ConfigMaps, Cm("b", "1", """{"tier":"cloud"}"""));
        using var watch = await WatchReader.OpenAsync(server.Http, "/api/v1/watch/namespaces/default/configmaps?labelSelector=tier%20in%20(edge)");
        var initial = await watch.NextAsync();
        initial!["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("a");

        await server.PatchAsync(ConfigMaps + "/b", """{"metadata":{"labels":{"tier":"edge"}}}""");
        var entered = await watch.NextAsync();
        entered!["type"]!.GetValue<string>().Should().Be("ADDED", "an object that starts matching the selector is ADDED");
        entered["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("b");

        await server.PatchAsync(ConfigMaps + "/a", """{"metadata":{"labels":{"tier":"cloud"}}}""");
        var left = await watch.NextAsync();
        left!["type"]!.GetValue<string>().Should().Be("DELETED", "an object that stops matching is DELETED");
        left["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("a");
    }

    [Fact]
    public async Task Watch_from_a_compacted_resource_version_gets_410_expired()
    {
        await using var server = await TestApiServer.StartAsync(o => o.WatchHistorySize = 3);
        var first = await server.CreateAsync(ConfigMaps, Cm("a", "0"));
        for (var i = 1; i <= 5; i++) await server.PatchAsync(ConfigMaps + "/a", $$$"""{"data":{"v":"{{{i}}}"}}""");
        using var watch = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=true&resourceVersion={Rv(first)}");
        var error = await watch.NextAsync();
        error!["type"]!.GetValue<string>().Should().Be("ERROR");
        error["object"]!["code"]!.GetValue<int>().Should().Be(410);
        error["object"]!["reason"]!.GetValue<string>().Should().Be("Expired");
        (await watch.NextAsync()).Should().BeNull("the server closes an expired watch");
    }

    [Fact]
    public async Task Bookmarks_arrive_when_allowed_and_carry_the_current_resource_version()
    {
        await using var server = await TestApiServer.StartAsync(o => o.BookmarkInterval = TimeSpan.FromMilliseconds(100));
        var created = await server.CreateAsync(ConfigMaps, Cm("a", "1"));
        using var watch = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=1&allowWatchBookmarks=true&resourceVersion={Rv(created)}");
        var bookmark = await watch.NextMatchingAsync(e => e["type"]!.GetValue<string>() == "BOOKMARK");
        Rv(bookmark["object"]!.AsObject()).Should().Be(Rv(created));
        bookmark["object"]!["kind"]!.GetValue<string>().Should().Be("ConfigMap");
    }

    [Fact]
    public async Task Watch_ends_after_timeout_seconds()
    {
        await using var server = await TestApiServer.StartAsync();
        using var watch = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=1&timeoutSeconds=1&resourceVersion=1");
        (await watch.NextAsync(TimeSpan.FromSeconds(15))).Should().BeNull();
    }

    [Fact]
    public async Task Watch_of_a_single_object_by_field_selector_sees_only_that_object()
    {
        await using var server = await TestApiServer.StartAsync();
        var a = await server.CreateAsync(ConfigMaps, Cm("a", "1"));
        using var watch = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=1&fieldSelector=metadata.name%3Db&resourceVersion={Rv(a)}");
        await server.CreateAsync(ConfigMaps, Cm("c", "1"));
        await server.CreateAsync(ConfigMaps, Cm("b", "1"));
        var e = await watch.NextAsync();
        e!["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("b");
    }

    [Fact]
    public async Task Stopping_the_server_ends_open_watches()
    {
        await using var server = await TestApiServer.StartAsync();
        using var watch = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=1&resourceVersion=1");
        var stop = server.Server.StopAsync();
        (await watch.NextAsync(TimeSpan.FromSeconds(10))).Should().BeNull();
        await stop;
    }

    [Fact]
    public async Task Concurrent_writers_produce_strictly_increasing_resource_versions_on_a_watch()
    {
        await using var server = await TestApiServer.StartAsync();
        var created = await server.CreateAsync(ConfigMaps, Cm("hot", "0"));
        using var watch = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=1&resourceVersion={Rv(created)}");
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                var (code, _) = await server.PatchAsync(ConfigMaps + "/hot", $$$"""{"data":{"w{{{w}}}":"{{{i}}}"}}""");
                code.Should().Be(200);
            }
        }));
        await Task.WhenAll(writers);
        var last = long.Parse(Rv(created), CultureInfo.InvariantCulture);
        for (var n = 0; n < 40; n++)
        {
            var e = await watch.NextAsync();
            var rv = long.Parse(Rv(e!["object"]!.AsObject()), CultureInfo.InvariantCulture);
            rv.Should().BeGreaterThan(last);
            last = rv;
        }

        var (_, final) = await server.GetAsync(ConfigMaps + "/hot");
        Rv(final).Should().Be(last.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Send_initial_events_ends_the_initial_state_with_an_annotated_bookmark()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync(ConfigMaps, Cm("a", "1"));
        using var watch = await WatchReader.OpenAsync(server.Http,
            $"{ConfigMaps}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        (await watch.NextAsync())!["type"]!.GetValue<string>().Should().Be("ADDED");
        var end = await watch.NextAsync();
        end!["type"]!.GetValue<string>().Should().Be("BOOKMARK");
        end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>().Should().Be("true");
    }
}
