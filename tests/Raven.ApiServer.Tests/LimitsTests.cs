using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

/// <summary>Size and rate limits answer with the real codes and messages; storage never depends on name length.</summary>
public class LimitsTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    private static string Map(string name, int dataBytes) =>
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["data"] = new JsonObject { ["blob"] = new string('x', dataBytes) },
        }.ToJsonString();

    [Theory]
    [InlineData(4 * 1024 * 1024)]
    [InlineData(25 * 1024 * 1024)]
    public async Task A_body_over_3_MiB_is_413_with_the_limit(int bytes)
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, status) = await server.SendAsync(HttpMethod.Post, ConfigMaps, Map("huge", bytes));

        code.Should().Be(413, status.ToJsonString());
        status["reason"]!.GetValue<string>().Should().Be("RequestEntityTooLarge");
        status["message"]!.GetValue<string>().Should().Be("Request entity too large: limit is 3145728");
        (await server.GetAsync(ConfigMaps + "/huge")).Code.Should().Be(404);
    }

    [Fact]
    public async Task ConfigMap_data_over_1_MiB_is_422_as_on_a_real_server()
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, status) = await server.SendAsync(HttpMethod.Post, ConfigMaps, Map("big", 1024 * 1024 + 1));

        code.Should().Be(422, status.ToJsonString());
        status["message"]!.GetValue<string>().Should().Be("ConfigMap \"big\" is invalid: []: Too long: must have at most 1048576 bytes");
        (await server.SendAsync(HttpMethod.Post, ConfigMaps, Map("fits", 1024 * 1000))).Code.Should().Be(201);
    }

    [Fact]
    public async Task An_object_over_the_storage_limit_is_413_naming_the_limit()
    {
        await using var server = await TestApiServer.StartAsync(o => o.MaxObjectBytes = 20_000);
        var (code, status) = await server.SendAsync(HttpMethod.Post, ConfigMaps, Map("over", 30_000));

        code.Should().Be(413, status.ToJsonString());
        status["message"]!.GetValue<string>().Should().StartWith("Request entity too large: ConfigMap \"over\" is ")
            .And.EndWith("the limit for a stored object is 20000 bytes");
        await server.CreateAsync(ConfigMaps, Map("small", 100));
        (await server.PatchAsync(ConfigMaps + "/small", $$$"""{"data":{"blob":"{{{new string('y', 30_000)}}}"}}""")).Code.Should().Be(413);
    }

    [Fact]
    public async Task A_body_that_trickles_in_is_408()
    {
        await using var server = await TestApiServer.StartAsync(o => o.MinRequestBodyRate = (1000, TimeSpan.FromSeconds(2)));
        // A raw socket: HttpClient would not read the answer before it has sent the whole body.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Server.Url.Host, server.Server.Url.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {ConfigMaps} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"apiVers"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(stream);
        var response = new StringBuilder();
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            response.AppendLine(line);
            if (line.StartsWith('{')) break;
        }

        var text = response.ToString();
        text.Should().StartWith("HTTP/1.1 408");
        text.Should().Contain("\"reason\":\"Timeout\"").And.Contain("the request body did not arrive in time");
    }

    [Fact]
    public async Task Names_up_to_253_characters_are_stored_and_survive_a_restart()
    {
        var dir = Directory.CreateTempSubdirectory("rvt-names-").FullName;
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];
        name = name.TrimEnd('.');
        name.Length.Should().BeInRange(247, 253);
        try
        {
            await using (var first = await TestApiServer.StartAsync(o => o.DataDir = dir, Directory.CreateTempSubdirectory("rvt-a-").FullName))
            {
                await first.CreateAsync(ConfigMaps, Map(name, 10));
                await first.CreateAsync(ConfigMaps, Map("doomed-" + name[..240], 10));
                (await first.DeleteAsync(ConfigMaps + "/doomed-" + name[..240])).Code.Should().Be(200);
            }

            await using var second = await TestApiServer.StartAsync(o => o.DataDir = dir, Directory.CreateTempSubdirectory("rvt-b-").FullName);
            var (code, map) = await second.GetAsync(ConfigMaps + "/" + name);
            code.Should().Be(200, map.ToJsonString());
            (await second.GetAsync(ConfigMaps + "/doomed-" + name[..240])).Code.Should().Be(404, "a deletion survives the restart too");
            Directory.EnumerateFiles(Path.Combine(dir, "objects"), "*.json", SearchOption.AllDirectories)
                .Select(f => Path.GetFileName(f).Length).Should().OnlyContain(l => l == 69, "file names are a SHA-256 and .json");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Files_named_the_old_way_are_found_and_moved_to_their_hashed_name()
    {
        var dir = Directory.CreateTempSubdirectory("rvt-legacy-").FullName;
        try
        {
            var legacy = Path.Combine(dir, "objects", "core", "configmaps", "default", "legacy.json");
            Directory.CreateDirectory(Path.GetDirectoryName(legacy)!);
            await File.WriteAllTextAsync(legacy,
                """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"legacy","namespace":"default","uid":"u1","resourceVersion":"3","creationTimestamp":"2024-01-01T00:00:00Z"},"data":{"k":"v"}}""");
            await using (var server = await TestApiServer.StartAsync(o => o.DataDir = dir, Directory.CreateTempSubdirectory("rvt-a-").FullName))
            {
                (await server.GetAsync(ConfigMaps + "/legacy")).Code.Should().Be(200);
                (await server.DeleteAsync(ConfigMaps + "/legacy")).Code.Should().Be(200);
            }

            File.Exists(legacy).Should().BeFalse();
            await using var again = await TestApiServer.StartAsync(o => o.DataDir = dir, Directory.CreateTempSubdirectory("rvt-b-").FullName);
            (await again.GetAsync(ConfigMaps + "/legacy")).Code.Should().Be(404, "the deleted object does not come back from its old file");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Watch_history_is_bounded_by_bytes_as_well_as_by_count()
    {
        await using var server = await TestApiServer.StartAsync(o => o.WatchHistoryBytes = 100_000);
        var small = await server.CreateAsync(ConfigMaps, Map("small", 10));
        for (var i = 0; i < 5; i++) await server.PatchAsync(ConfigMaps + "/small", $$$"""{"data":{"blob":"{{{i}}}"}}""");
        using (var recent = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=1&resourceVersion={small["metadata"]!["resourceVersion"]}"))
        {
            (await recent.NextAsync())!["type"]!.GetValue<string>().Should().Be("MODIFIED", "small events fit the history");
        }

        var (_, list) = await server.GetAsync(ConfigMaps);
        var before = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        for (var i = 0; i < 5; i++) await server.PatchAsync(ConfigMaps + "/small", $$$"""{"data":{"blob":"{{{new string((char)('a' + i), 20_000)}}}"}}""");

        using var old = await WatchReader.OpenAsync(server.Http, $"{ConfigMaps}?watch=1&resourceVersion={before}");
        var error = await old.NextAsync();
        error!["type"]!.GetValue<string>().Should().Be("ERROR", "five 40 kB events do not fit 100 kB of history");
        error["object"]!["code"]!.GetValue<int>().Should().Be(410);
    }

    [Fact]
    public async Task A_watcher_that_falls_too_far_behind_is_closed_instead_of_queueing_without_bound()
    {
        await using var server = await TestApiServer.StartAsync(o => o.WatcherQueueBytes = 200_000);
        var created = await server.CreateAsync(ConfigMaps, Map("hot", 10));
        using var response = await server.Http.GetAsync($"{ConfigMaps}?watch=1&resourceVersion={created["metadata"]!["resourceVersion"]}",
            HttpCompletionOption.ResponseHeadersRead);
        const int updates = 40;
        for (var i = 0; i < updates; i++)
        {
            (await server.PatchAsync(ConfigMaps + "/hot", $$$"""{"data":{"blob":"{{{new string((char)('a' + (i % 26)), 500_000)}}}"}}""")).Code.Should().Be(200);
        }

        // Only now does the client read: what the sockets held arrives, then the server's end of the stream.
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Contains("\"MODIFIED\"", StringComparison.Ordinal)) received++;
        }

        received.Should().BeLessThan(updates, "the server closed the watch once its queue passed the limit");
    }
}
