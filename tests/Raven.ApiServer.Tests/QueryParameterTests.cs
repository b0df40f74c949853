using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

/// <summary>Query parameters read as the real server reads them: Go booleans, integers, list option rules.</summary>
public class QueryParameterTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    private static string Cm(string name, string label = "a") =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","labels":{"app":"{{{label}}}"}},"data":{"k":"v"}}""";

    [Theory]
    [InlineData("True")]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("t")]
    [InlineData("T")]
    [InlineData("1")]
    public async Task Watch_and_bookmark_flags_accept_every_go_spelling_of_true(string spelling)
    {
        await using var server = await TestApiServer.StartAsync(o => o.BookmarkInterval = TimeSpan.FromMilliseconds(100));
        var created = await server.CreateAsync(ConfigMaps, Cm("a"));
        var rv = created["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var watch = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch={spelling}&allowWatchBookmarks={spelling}&resourceVersion={rv}");
        await server.CreateAsync(ConfigMaps, Cm("b"));
        var added = await watch.NextAsync();
        added!["type"]!.GetValue<string>().Should().Be("ADDED", "watch={0} is a watch, not a list", spelling);
        added["object"]!["metadata"]!["name"]!.GetValue<string>().Should().Be("b");
        var bookmark = await watch.NextMatchingAsync(e => e["type"]!.GetValue<string>() == "BOOKMARK");
        bookmark["object"]!["kind"]!.GetValue<string>().Should().Be("ConfigMap");
    }

    [Theory]
    [InlineData("False")]
    [InlineData("f")]
    [InlineData("0")]
    public async Task Watch_flag_spelled_false_lists(string spelling)
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, body) = await server.GetAsync($"{ConfigMaps}?watch={spelling}");
        code.Should().Be(200);
        body["kind"]!.GetValue<string>().Should().Be("ConfigMapList");
    }

    [Theory]
    [InlineData("?watch=yes", "invalid value for query parameter watch: strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [InlineData("?watch=1&allowWatchBookmarks=on", "invalid value for query parameter allowWatchBookmarks")]
    [InlineData("?watch=1&timeoutSeconds=soon", "invalid value for query parameter timeoutSeconds: strconv.ParseInt: parsing \"soon\"")]
    [InlineData("?watch=1&timeoutSeconds=1.5", "timeoutSeconds")]
    [InlineData("?watch=1&timeoutSeconds=-1", "timeoutSeconds: -1: must be a non-negative integer")]
    public async Task Malformed_flags_and_timeouts_are_400(string query, string message)
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, body) = await server.GetAsync(ConfigMaps + query);
        code.Should().Be(400, body.ToJsonString());
        body["reason"]!.GetValue<string>().Should().Be("BadRequest");
        body["message"]!.GetValue<string>().Should().Contain(message);
    }

    [Theory]
    [InlineData("?resourceVersionMatch=Exact", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("?resourceVersionMatch=Newest&resourceVersion=1", "resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"")]
    [InlineData("?resourceVersionMatch=Exact&resourceVersion=0", "resourceVersionMatch \\\"exact\\\" is forbidden for resourceVersion \\\"0\\\"")]
    [InlineData("?sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list")]
    [InlineData("?watch=1&resourceVersionMatch=NotOlderThan", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]
    [InlineData("?watch=1&sendInitialEvents=true", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")]
    public async Task Inconsistent_list_options_are_422_on_list_options(string query, string message)
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, body) = await server.GetAsync(ConfigMaps + query);
        code.Should().Be(422, body.ToJsonString());
        body["reason"]!.GetValue<string>().Should().Be("Invalid");
        var text = body["message"]!.GetValue<string>();
        text.Should().StartWith("ListOptions.meta.k8s.io \"\" is invalid: ");
        text.Should().Contain(message.Replace("\\\"", "\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exact_lists_serve_the_current_version_and_expire_older_ones()
    {
        await using var server = await TestApiServer.StartAsync();
        var first = await server.CreateAsync(ConfigMaps, Cm("a"));
        await server.CreateAsync(ConfigMaps, Cm("b"));
        var (_, list) = await server.GetAsync(ConfigMaps);
        var current = list["metadata"]!["resourceVersion"]!.GetValue<string>();

        var (exactCode, exact) = await server.GetAsync($"{ConfigMaps}?resourceVersion={current}&resourceVersionMatch=Exact");
        exactCode.Should().Be(200);
        exact["items"]!.AsArray().Should().HaveCount(2);
        var (olderCode, older) = await server.GetAsync($"{ConfigMaps}?resourceVersion={first["metadata"]!["resourceVersion"]}&resourceVersionMatch=Exact");
        olderCode.Should().Be(410, older.ToJsonString());
        older["reason"]!.GetValue<string>().Should().Be("Expired");
        (await server.GetAsync($"{ConfigMaps}?resourceVersion={first["metadata"]!["resourceVersion"]}&resourceVersionMatch=NotOlderThan")).Code.Should().Be(200);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&watch=1")]
    [InlineData("&resourceVersionMatch=NotOlderThan")]
    public async Task A_resource_version_from_the_future_is_504_too_large(string extra)
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, body) = await server.GetAsync($"{ConfigMaps}?resourceVersion=999999{extra}");
        code.Should().Be(504, body.ToJsonString());
        body["reason"]!.GetValue<string>().Should().Be("Timeout");
        body["message"]!.GetValue<string>().Should().StartWith("Timeout: Too large resource version: 999999, current: ");
        body["details"]!["causes"]![0]!["reason"]!.GetValue<string>().Should().Be("ResourceVersionTooLarge");
    }

    [Fact]
    public async Task Paged_lists_count_the_remaining_items_when_unfiltered()
    {
        await using var server = await TestApiServer.StartAsync();
        for (var i = 0; i < 5; i++) await server.CreateAsync(ConfigMaps, Cm($"m{i}", i < 4 ? "a" : "b"));

        var (_, page) = await server.GetAsync($"{ConfigMaps}?limit=2");
        page["metadata"]!["remainingItemCount"]!.GetValue<long>().Should().Be(3);
        var next = Uri.EscapeDataString(page["metadata"]!["continue"]!.GetValue<string>());
        var (_, second) = await server.GetAsync($"{ConfigMaps}?limit=2&continue={next}");
        second["metadata"]!["remainingItemCount"]!.GetValue<long>().Should().Be(1);
        var (_, filtered) = await server.GetAsync($"{ConfigMaps}?limit=2&labelSelector=app%3Da");
        filtered["metadata"]!["continue"].Should().NotBeNull();
        filtered["metadata"]!.AsObject().ContainsKey("remainingItemCount").Should().BeFalse("with a selector the count is not known exactly");
        var (_, last) = await server.GetAsync($"{ConfigMaps}?limit=5");
        last["metadata"]!.AsObject().ContainsKey("remainingItemCount").Should().BeFalse();
        last["metadata"]!.AsObject().ContainsKey("continue").Should().BeFalse();
    }
}
