using System.Globalization;
using Raven.Bench.Dataplane;
using Raven.TestSupport.Network;

// Issue 5 data-plane benchmark. Root only; every packet stays inside rvb- namespaces created here.
// Usage: raven-bench-dataplane [--area A] [--seconds N] [--rounds R] [--skip-idle]
//        | --compare wireguard,ipsec,vxlan [--seconds N] [--rounds R] [--mtu M]   (Raven vs the backend configured by hand)
//        | --convergence TRIALS [--backend B]
//        | --failover node-death|daemon-kill|wan-cut --backend B [--trials N] [--raw FILE]
// --area A puts the namespaces under rvt-A-* (default rvt-bench-*). "idle-child N" is the internal child mode.
if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("Linux only.");
    return 2;
}

if (args is ["idle-child", var settle])
{
    return await IdleMemory.RunChildAsync(int.Parse(settle, CultureInfo.InvariantCulture));
}

if (!Environment.IsPrivilegedProcess)
{
    Console.Error.WriteLine("Run as root: the benchmark creates network namespaces (rvb-*).");
    return 2;
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
if (Option("--area") is { } area)
{
    BenchArea.Name = area;
}

void PrintTable(string title, IEnumerable<(string Metric, string Value, string Note)> table)
{
    Console.WriteLine($"{title} — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average now {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine();
    Console.WriteLine("| Metric | Value | Notes |");
    Console.WriteLine("|---|---:|---|");
    foreach (var (metric, value, note) in table)
    {
        Console.WriteLine($"| {metric} | {value} | {note} |");
    }
}

if (Option("--compare") is { } compared)
{
    int compareSeconds = int.Parse(Option("--seconds") ?? "5", CultureInfo.InvariantCulture);
    int compareRounds = int.Parse(Option("--rounds") ?? "5", CultureInfo.InvariantCulture);
    var table = new List<(string, string, string)>();
    foreach (var backend in compared.Split(','))
    {
        table.AddRange(await BackendComparison.MeasureAsync(backend, compareSeconds, compareRounds, Option("--mtu") is { } forcedMtu ? int.Parse(forcedMtu, CultureInfo.InvariantCulture) : null));
    }

    PrintTable("Raven vs by hand, per backend", table);
    return 0;
}

if (Option("--failover") is { } failure)
{
    var table = await FailoverTrials.MeasureAsync(Option("--backend") ?? "wireguard", failure, int.Parse(Option("--trials") ?? "20", CultureInfo.InvariantCulture), Option("--raw"));
    PrintTable("Raven failover", table);
    return 0;
}

if (args.SkipWhile(a => a != "--convergence").Skip(1).FirstOrDefault() is { } convergenceTrials)
{
    string[] backends = args.SkipWhile(a => a != "--backend").Skip(1).FirstOrDefault() is { } one ? [one] : ["wireguard", "ipsec", "vxlan"];
    var convergence = await ConvergenceBench.MeasureAsync(int.Parse(convergenceTrials, CultureInfo.InvariantCulture), backends);
    Console.WriteLine($"Raven convergence — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
    Console.WriteLine();
    Console.WriteLine("| Metric | Value | Notes |");
    Console.WriteLine("|---|---:|---|");
    foreach (var (metric, value, note) in convergence)
    {
        Console.WriteLine($"| {metric} | {value} | {note} |");
    }

    return 0;
}

if (args.Contains("--only-bulk"))
{
    var only = await BulkRoutes.MeasureAsync(gateways: 10, nodesPerGateway: 100);
    Console.WriteLine(only);
    return 0;
}

int seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(10);
var rows = new List<(string Metric, string Value, string Note)>();

if (!args.Contains("--skip-idle"))
{
    var idle = await IdleMemory.MeasureInChildAsync(20);
    rows.Add(("agent idle working set (one engine process)", $"{idle.ProcessMiB:0.0} MiB", $"before the engine started: {idle.BeforeEngineMiB:0.0} MiB; managed heap {idle.ManagedHeapMiB:0.0} MiB; settled {idle.SettleSeconds} s"));
    rows.Add(("wireguard-go RSS of that agent", $"{idle.WireGuardGoMiB:0.0} MiB", "separate daemon process"));
}

int rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(3);
var throughput = await Throughput.MeasureAsync(seconds, rounds);
rows.Insert(0, ("iperf3 gw pod → gw pod, Raven", $"{throughput.Raven:0.000} Gbit/s", $"median of {rounds}: {throughput.RavenRuns}; cloud-gw pod → NAT → b-gw pod, {seconds} s each, WireGuard MTU {throughput.Mtu}"));
rows.Insert(1, ("iperf3 gw pod → gw pod, wireguard-go by hand", $"{throughput.Hand:0.000} Gbit/s", $"median of {rounds}: {throughput.HandRuns}; same topology, UAPI + one route per side, same MTU"));
rows.Insert(2, ("ratio Raven / by hand", $"{throughput.Raven / throughput.Hand:0.00}", "goal ≥ 0.95; runs alternate Raven, hand, Raven, …"));
rows.Insert(3, ("iperf3 member pod → member pod, Raven", $"{throughput.Members:0.000} Gbit/s", "one run; cloud-w pod → VXLAN → cloud-gw → WireGuard → a-gw → VXLAN → a-w pod"));
rows.Insert(4, ("diagnostic: Raven gw pod → gw pod, MSS clamp removed", $"{throughput.WithoutClamp:0.000} Gbit/s", "one run after the others; RAVEN-MSS-CHAIN flushed on both gateways"));
rows.Insert(5, ("diagnostic: Raven gw pod → gw pod, whole mangle table flushed", $"{throughput.WithoutMangle:0.000} Gbit/s", "one run; mark, unmark and clamp rules removed on both gateways"));
rows.Add(("status change → first packet via new gateway", $"{throughput.FailoverSeconds * 1000:0} ms", $"ping every 50 ms cloud-w pod → a-w pod; old gateway's LAN down first ({throughput.RepliesWhileDown} replies while down)"));

var bulk = await BulkRoutes.MeasureAsync(gateways: 10, nodesPerGateway: 100);
rows.Add(($"first ApplyOnceAsync, {bulk.Subnets} remote non-adjacent /24 subnets", $"{bulk.FirstApply.TotalMilliseconds:0} ms",
    $"{bulk.Peers} peers; engine-reported {bulk.EngineReported.TotalMilliseconds:0} ms; RoutesProgrammed {bulk.RoutesProgrammed}; {bulk.RoutesInTable} routes in table 9028; errors {bulk.Errors}"));
rows.Add(("second ApplyOnceAsync, same plan", $"{bulk.SecondApply.TotalMilliseconds:0} ms", $"changed: {bulk.SecondChanged}"));

Console.WriteLine($"Raven data plane — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| Metric | Value | Notes |");
Console.WriteLine("|---|---:|---|");
foreach (var (metric, value, note) in rows)
{
    Console.WriteLine($"| {metric} | {value} | {note} |");
}

return 0;
