using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Raven.ApiServer;

namespace Raven.Bench;

/// <summary>
/// Issue 12's memory benchmark: the API server's resident memory with 1,000 idle watchers, after 80 writes of a
/// 1 MiB ConfigMap, and after listing 40 such ConfigMaps a few times. The server runs in a child process (this
/// program with <c>apiserver-memory-serve</c>) so the figures are its own, not the clients'.
/// </summary>
internal static class ApiServerMemoryBench
{
    private const string ServeMode = "apiserver-memory-serve";

    public static bool IsServeMode(string[] args) => args.Length > 0 && args[0] == ServeMode;

    /// <summary>The child: serve on a free port, print the URL, run until stdin closes.</summary>
    public static async Task ServeAsync()
    {
        await using var server = new EmbeddedApiServer(new EmbeddedApiServerOptions());
        await server.StartAsync();
        Console.WriteLine(server.Url);
        await Console.In.ReadToEndAsync();
        await server.StopAsync();
    }

    public static async Task<string> RunAsync(double scale)
    {
        var watchers = Math.Max(1, (int)(1_000 * scale));
        var writes = Math.Max(1, (int)(80 * scale));
        var listed = Math.Max(1, (int)(40 * scale));
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Run through `dotnet Raven.Bench.dll` (as `dotnet run` does), the host needs the assembly first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ApiServerMemoryBench).Assembly.Location);
        start.ArgumentList.Add(ServeMode);
        using var child = Process.Start(start)!;
        try
        {
            var url = new Uri((await child.StandardOutput.ReadLineAsync())!);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = watchers + 16 }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
            await Send(http, HttpMethod.Post, "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"idle"}}""");
            var started = Rss(child);

            using var stop = new CancellationTokenSource();
            var streams = new List<Task>();
            for (var i = 0; i < watchers; i++)
            {
                var response = await http.GetAsync("/api/v1/namespaces/idle/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
                streams.Add(DrainAsync(response, stop.Token));
            }

            var withWatchers = Rss(child);
            var blob = new string('x', 1_000_000);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < writes; i++)
            {
                var body = $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"blob":"{{{blob}}}","n":"{{{i}}}"}}""";
                await Send(http, i == 0 ? HttpMethod.Post : HttpMethod.Put, i == 0 ? "/api/v1/namespaces/default/configmaps" : "/api/v1/namespaces/default/configmaps/big", body);
            }

            var writeTime = clock.Elapsed;
            var afterWrites = Rss(child);
            for (var i = 0; i < listed; i++)
            {
                await Send(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
                    $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"list-{{{i}}}"},"data":{"blob":"{{{blob}}}"}}""");
            }

            var beforeLists = Rss(child);
            var peak = beforeLists;
            clock.Restart();
            for (var i = 0; i < 5; i++)
            {
                using var list = await http.GetAsync("/api/v1/namespaces/default/configmaps", HttpCompletionOption.ResponseHeadersRead);
                await list.Content.CopyToAsync(Stream.Null);
                peak = Math.Max(peak, Rss(child));
            }

            var listTime = clock.Elapsed / 5;
            await Task.Delay(TimeSpan.FromSeconds(5)); // let the server's GC run on its own
            var afterLists = Rss(child);
            await stop.CancelAsync();
            await Task.WhenAll(streams);

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"### Embedded API server memory: {watchers:N0} idle watchers, {writes} writes of a 1 MiB ConfigMap (server in its own process)");
            text.AppendLine();
            text.AppendLine("| measurement | server resident memory (VmRSS) |");
            text.AppendLine("|---|---|");
            text.AppendLine(CultureInfo.InvariantCulture, $"| started, empty | {Fixture.Megabytes(started)} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {watchers:N0} idle watchers open | {Fixture.Megabytes(withWatchers)} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| after {writes} writes of a 1 MiB ConfigMap ({writeTime.TotalSeconds:0.0} s) | {Fixture.Megabytes(afterWrites)} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {listed} more 1 MiB ConfigMaps stored | {Fixture.Megabytes(beforeLists)} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| peak while listing them 5 times ({listTime.TotalMilliseconds:0} ms per {listed} MiB list) | {Fixture.Megabytes(peak)} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| 5 s after the lists | {Fixture.Megabytes(afterLists)} |");
            return text.ToString();
        }
        finally
        {
            child.StandardInput.Close();
            if (!child.WaitForExit(10_000)) child.Kill();
        }
    }

    private static async Task Send(HttpClient http, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await response.Content.CopyToAsync(Stream.Null, ct);
        }
        catch (OperationCanceledException)
        {
            // the bench is over
        }
        finally
        {
            response.Dispose();
        }
    }

    /// <summary>VmRSS of the child from /proc, in bytes.</summary>
    private static long Rss(Process child)
    {
        var line = File.ReadLines($"/proc/{child.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
