using System.Globalization;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Wiring;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.WireGuard;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// Issue 15's failover benchmark: many trials of one failure of edge-a's primary gateway a-gw, each measured with
/// 10 ms pings in both directions between cloud-w's pod and a-w's pod, plus a 20 Mbit/s iperf3 stream cloud-w → a-w
/// (does it survive?). One lab per run: after each trial the failure is undone and the bench waits until a-gw serves
/// again, so trials 2..N start from a handed-back primary.
/// <list type="bullet">
/// <item>Backends whose profile routes standby pairs (WireGuard): a-w is a hot standby and the data-plane probes
/// alone move the domain; nobody touches the Gateway.</item>
/// <item>The others (IPsec, VXLAN) have no hot standby. Their failover is the controller's: a changed active
/// endpoint. "node-death" takes a-gw's LAN down and at the same instant makes a-w the active endpoint, so the figure
/// is the agents' part only, without the controller's detection. "daemon-kill" (IPsec) SIGKILLs a-gw's charon and
/// measures its supervisor's restart. A WAN cut moves nothing without probes, so it is not measured.</item>
/// </list>
/// </summary>
internal static class FailoverTrials
{
    public static readonly string[] Cases = ["node-death", "daemon-kill", "wan-cut"];
    private const int PingSeconds = 8;
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    public static async Task<List<(string Metric, string Value, string Note)>> MeasureAsync(string backend, string failure, int trials, string? rawPath)
    {
        if (!Cases.Contains(failure))
        {
            throw new ArgumentException($"failover case '{failure}' must be one of {string.Join(", ", Cases)}", nameof(failure));
        }

        bool standby = TunnelBackends.Get(backend).Profile.RoutesStandbyPairs;
        if (!standby && (failure == "wan-cut" || (failure == "daemon-kill" && backend != "ipsec")))
        {
            return [($"failover {backend}, {failure}", "not measured", standby ? "" : failure == "wan-cut"
                ? "no hot standby under this backend (RoutesStandbyPairs false): nothing detects a cut WAN, the domain stays down until it returns"
                : "the backend has no daemon to kill")];
        }

        await using var lab = await AgentLab.CreateAsync(area: BenchArea.Name, backend: backend);
        foreach (var node in lab.Nodes.Values)
        {
            node.Failover = standby;
        }

        await lab.StartAllAsync();
        if (!await AgentLab.WaitUntilAsync(() => lab.Inputs.Get("edge-a")!.Spec.Endpoints!.All(e => backend != "wireguard" || e.Config?.ContainsKey("publicKey") == true), Converge))
        {
            throw new InvalidOperationException("edge-a's endpoints never published their keys");
        }

        if (standby)
        {
            lab.Activate("edge-a", "a-gw", "a-w");
        }

        await SteadyAsync(lab, standby, "start");
        var toEdge = new List<double>();
        var toCloud = new List<double>();
        var lostEdge = new List<double>();
        var lostCloud = new List<double>();
        var load = new List<double>();
        int survived = 0, unrecovered = 0;
        for (int i = 0; i < trials; i++)
        {
            load.Add(LoadAverage.OneMinute());
            using var server = BackgroundProcess.StartIn(lab["a-w"].Pod, "iperf3", "-s", "-1", "-B", lab["a-w"].PodIp, "-p", "5299");
            await Task.Delay(300);
            using var stream = BackgroundProcess.StartIn(lab["cloud-w"].Pod, "iperf3", "-c", lab["a-w"].PodIp, "-p", "5299", "-b", "20M", "-t", (PingSeconds - 1).ToString(CultureInfo.InvariantCulture), "-J");
            using var pingIn = TimedPing.Start(lab["cloud-w"].Pod, lab["a-w"].PodIp, PingSeconds);
            using var pingOut = TimedPing.Start(lab["a-w"].Pod, lab["cloud-w"].PodIp, PingSeconds);
            await Task.Delay(1000); // traffic before the failure
            double failedAt = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
            await FailAsync(lab, standby, failure);
            var (inMs, inLost) = await pingIn.ResultAsync(failedAt);
            var (outMs, outLost) = await pingOut.ResultAsync(failedAt);
            bool tcp = await stream.WaitAsync(TimeSpan.FromSeconds(PingSeconds + 20)) && !stream.StandardOutput.Contains("\"error\"", StringComparison.Ordinal)
                       && stream.StandardOutput.Contains("\"sum_received\"", StringComparison.Ordinal);
            survived += tcp ? 1 : 0;
            if (inMs is { } a && outMs is { } b)
            {
                toEdge.Add(a);
                toCloud.Add(b);
                lostEdge.Add(inLost * 10);
                lostCloud.Add(outLost * 10);
            }
            else
            {
                unrecovered++;
            }

            var line = string.Create(CultureInfo.InvariantCulture,
                $"{backend} {failure} {i + 1} {Ms(inMs)} {Ms(outMs)} {inLost * 10} {outLost * 10} {(tcp ? "survived" : "broke")} {load[^1]:0.0}");
            Console.Error.WriteLine(line);
            if (rawPath is not null)
            {
                await File.AppendAllTextAsync(rawPath, line + "\n");
            }

            await RestoreAsync(lab, standby, failure);
            await SteadyAsync(lab, standby, $"after trial {i + 1}");
        }

        string method = standby ? "hot standby a-w, probes only" : "active endpoint moved to a-w at the failure (controller detection excluded)";
        string note = $"{trials} trials, {unrecovered} without traffic back in {PingSeconds - 1} s; TCP streams survived {survived}/{trials}; {method}; load average {LoadAverage.Describe(load)}";
        return
        [
            ($"failover {backend}, {failure}: outage cloud → edge", Summary(toEdge), $"{note}; lost × 10 ms: p50 {Stats.Median(lostEdge):0} ms"),
            ($"failover {backend}, {failure}: outage edge → cloud", Summary(toCloud), $"lost × 10 ms: p50 {Stats.Median(lostCloud):0} ms, max {(lostCloud.Count > 0 ? lostCloud.Max() : double.NaN):0} ms"),
        ];
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "none";

    private static string Summary(List<double> ms) => ms.Count == 0 ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Stats.Median(ms):0} ms, p95 {Stats.Quantile(ms, 0.95):0} ms, max {ms.Max():0} ms");

    private static async Task FailAsync(AgentLab lab, bool standby, string failure)
    {
        var primary = lab["a-gw"];
        switch (failure)
        {
            case "node-death":
                if (standby)
                {
                    await primary.DetachAsync();
                }

                primary.Namespace.Ip("link", "set", "lan0", "down");
                if (!standby)
                {
                    lab.Activate("edge-a", "a-w");
                }

                break;
            case "daemon-kill":
                var pid = standby ? DaemonPid.Find(primary.WireGuardInterface) : CharonPid(primary);
                if (pid is null || !ProcessSignals.Send(pid.Value, ProcessSignals.SigKill))
                {
                    throw new InvalidOperationException("a-gw's tunnel daemon is not running");
                }

                break;
            case "wan-cut":
                WanRules(lab, "-I");
                break;
        }
    }

    private static async Task RestoreAsync(AgentLab lab, bool standby, string failure)
    {
        var primary = lab["a-gw"];
        switch (failure)
        {
            case "node-death":
                primary.Namespace.Ip("link", "set", "lan0", "up");
                primary.Namespace.Ip("route", "replace", "default", "via", "172.16.1.1"); // link down dropped it
                if (standby)
                {
                    await primary.StartAsync(lab.Inputs, run: true);
                }
                else
                {
                    lab.Activate("edge-a", "a-gw");
                }

                break;
            case "daemon-kill" when standby:
                // The engine restores wireguard-go only on its next full pass (hourly here): restart the agent.
                await primary.DetachAsync();
                await primary.StartAsync(lab.Inputs, run: true);
                break;
            case "wan-cut":
                WanRules(lab, "-D");
                break;
        }
    }

    /// <summary>Drops everything between a-gw and the internet in edge-a's NAT router, both ways (-I adds, -D removes).</summary>
    private static void WanRules(AgentLab lab, string verb)
    {
        var router = lab.RouterOf("edge-a");
        var node = lab["a-gw"].PrivateIp;
        router.Exec("iptables", "-w", verb, "FORWARD", "-s", node, "-o", "wan", "-j", "DROP");
        router.Exec("iptables", "-w", verb, "FORWARD", "-d", node, "-i", "wan", "-j", "DROP");
    }

    /// <summary>a-gw's charon from its supervisor's record (first line "PID STARTTIME"), trusted only when /proc shows charon.</summary>
    private static int? CharonPid(LabNode node)
    {
        var record = Path.Combine(node.StateDirectory, "ipsec", "charon.pid");
        if (!File.Exists(record) || !int.TryParse(File.ReadLines(record).First().Split(' ')[0], CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        return ProcessSignals.CommandLine(pid) is { Count: > 0 } argv && Path.GetFileName(argv[0]) == "charon" ? pid : null;
    }

    /// <summary>Waits until a-gw carries edge-a again (and, with standbys, every probe is Up and a-w stands by) and pods answer both ways.</summary>
    private static async Task SteadyAsync(AgentLab lab, bool standby, string when)
    {
        bool ready = await AgentLab.WaitUntilAsync(() => standby
            ? Up(lab["cloud-gw"], HealthTargets.Tunnel("edge-a", "a-gw")) && Up(lab["cloud-gw"], HealthTargets.Tunnel("edge-a", "a-w")) &&
              Up(lab["a-w"], HealthTargets.Lan("a-gw")) && Up(lab["a-gw"], HealthTargets.Lan("a-w")) &&
              Up(lab["a-w"], HealthTargets.Tunnel("cloud", "cloud-gw")) && Up(lab["a-gw"], HealthTargets.Tunnel("cloud", "cloud-gw")) &&
              lab["a-gw"].Health!.Claim.Serving && !lab["a-w"].Health!.Claim.Serving && CarrierOnCloud(lab) == "a-gw"
            : lab["a-gw"].Engine!.LastReport?.Plan.Role == PlanRole.TunnelGateway, Converge);
        var toEdge = await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, Converge);
        var toCloud = await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["cloud-w"].PodIp, Converge);
        if (!ready || toEdge is null || toCloud is null)
        {
            throw new InvalidOperationException($"edge-a never settled on a-gw ({when})\n{lab.Describe()}");
        }
    }

    private static bool Up(LabNode node, string target) => node.Health?.Target(target)?.Statistics.State == HealthState.Up;

    /// <summary>The node of the cloud gateway's WireGuard peer whose AllowedIPs hold edge-a's pods (10.245.0.0/23).</summary>
    private static string? CarrierOnCloud(AgentLab lab)
    {
        var device = UapiClient.ForInterface(lab["cloud-gw"].WireGuardInterface).GetDeviceAsync(CancellationToken.None).GetAwaiter().GetResult();
        var peer = device.Peers.FirstOrDefault(p => p.AllowedIPs.Any(a => a.ToString() == "10.245.0.0/23"));
        return peer is null ? null : new[] { "a-gw", "a-w" }.FirstOrDefault(n => lab[n].Vpn?.PublicKey() == peer.PublicKey.ToBase64());
    }
}
