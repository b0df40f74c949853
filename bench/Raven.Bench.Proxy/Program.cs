using System.Globalization;
using Raven.Bench.Proxy;

// Issue 6 benchmark: the L7 reverse tunnel vs a direct TCP connection, everything on 127.0.0.1, in one process.
// Then HTTP through the front end (YARP forwarder over the tunnel) vs HTTP straight to the target.
// Usage: raven-bench-proxy [--mib 1024] [--requests 5000] [--streams 1000] [--callers 50]
int Arg(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

long bytes = Arg("--mib", 1024) * 1024L * 1024L;
int requests = Arg("--requests", 5000);
int streams = Arg("--streams", 1000);
int callers = Arg("--callers", 50);

await using var targets = new LoopbackTargets();
await using var tunnel = await TunnelPath.StartAsync();
IPath[] paths = [new DirectPath(), tunnel];
var results = new Dictionary<string, List<string>>();
foreach (var path in paths)
{
    var gbit = await Measurements.TransferGbitPerSecondAsync(path, targets, bytes);
    var rtt = await Measurements.RoundTripsAsync(path, targets, requests);
    var fresh = await Measurements.OpenAndRequestAsync(path, targets, Math.Max(1, requests / 10));
    var many = await Measurements.ConcurrentAsync(path, targets, streams);
    results[path.Name] =
    [
        $"{gbit:0.00} Gbit/s",
        $"{rtt.P50Micros:0} / {rtt.P99Micros:0} µs",
        $"{fresh.P50Micros:0} / {fresh.P99Micros:0} µs",
        $"{many.Succeeded}/{many.Streams} in {many.Elapsed.TotalMilliseconds:0} ms",
        $"{many.WorkingSetKiBPerStream:0.0} KiB",
        $"{many.ManagedKiBPerStream:0.0} KiB",
    ];
}

string[] metrics =
[
    $"one {bytes / 1048576} MiB transfer to a sink",
    $"64 B request on an open stream, p50 / p99 ({requests})",
    $"open stream + 64 B request + close, p50 / p99 ({Math.Max(1, requests / 10)})",
    $"{streams} concurrent streams, 11 × 1 KiB round trips each",
    "working set per open stream",
    "managed heap per open stream",
];
Console.WriteLine($"Raven L7 tunnel — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine($"| Metric | {string.Join(" | ", paths.Select(p => p.Name))} |");
Console.WriteLine($"|---|{string.Concat(paths.Select(_ => "---:|"))}");
for (int i = 0; i < metrics.Length; i++)
{
    Console.WriteLine($"| {metrics[i]} | {string.Join(" | ", paths.Select(p => results[p.Name][i]))} |");
}

await using var target = await HttpTarget.StartAsync();
await using var frontEnd = await FrontEndPath.StartAsync(tunnel, target.Port);
var direct = new Uri($"http://127.0.0.1:{target.Port}");
var http = new List<(string Name, Uri Address, string Query)>
{
    ("direct HTTP", direct, ""),
    ("through the front end", frontEnd.BaseAddress, $"&nodeName={FrontEndPath.EdgeNode}"),
};
HttpClient NewClient(Uri address) => new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1 })
{
    BaseAddress = address,
    DefaultRequestHeaders = { Host = $"{FrontEndPath.EdgeNode}:{target.Port}" },
    Timeout = TimeSpan.FromMinutes(5),
};
var httpResults = new Dictionary<string, List<string>>();
foreach (var (name, address, query) in http)
{
    using var client = NewClient(address);
    var down = await HttpMeasurements.DownloadGbitPerSecondAsync(client, query, bytes);
    var up = await HttpMeasurements.UploadGbitPerSecondAsync(client, query, bytes / 4);
    var small = await HttpMeasurements.SmallGetsAsync(client, query, requests);
    var perSecond = await HttpMeasurements.ConcurrentGetsPerSecondAsync(() => NewClient(address), query, callers, 100);
    httpResults[name] =
    [
        $"{down:0.00} Gbit/s",
        $"{up:0.00} Gbit/s",
        $"{small.P50Micros:0} / {small.P99Micros:0} µs",
        $"{perSecond:0} req/s",
    ];
}

string[] httpMetrics =
[
    $"GET with a {bytes / 1048576} MiB response",
    $"POST of {bytes / 4 / 1048576} MiB (chunked)",
    $"64 B GET on a keep-alive connection, p50 / p99 ({requests})",
    $"{callers} callers × 100 GETs of 64 B",
];
Console.WriteLine();
Console.WriteLine($"| HTTP metric | {string.Join(" | ", http.Select(p => p.Name))} |");
Console.WriteLine($"|---|{string.Concat(http.Select(_ => "---:|"))}");
for (int i = 0; i < httpMetrics.Length; i++)
{
    Console.WriteLine($"| {httpMetrics[i]} | {string.Join(" | ", http.Select(p => httpResults[p.Name][i]))} |");
}
