using System.Diagnostics;
using Raven.Api;
using Raven.Kube.Client;
using Raven.Lab.Run;
using Raven.Lab.Topology;
using Raven.Network.Tests.Agent;
using Raven.TestSupport.Network;
using Xunit.Abstractions;
using k8s;

namespace Raven.Network.Tests.Lab;

/// <summary>
/// A control-plane outage is not a data-plane outage: the whole lab (real API server, controller and agents with a
/// 6 s lease, as `raven lab up` runs them) loses its API server for longer than the lease, gets it back on the same
/// data directory and socket, and running pings across domains lose nothing while no endpoint changes.
/// </summary>
public sealed class LabOutageTests(ITestOutputHelper output)
{
    private const string Prefix = "rvt-lcout-";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6); // LabAgent's --lease-duration

    [Fact]
    public async Task An_API_server_outage_longer_than_the_agent_lease_loses_no_ping_and_changes_no_endpoint()
    {
        Root.Require();
        var topology = LabTopology.Seed(Prefix);
        var lab = new LabRunner(topology, new LabComponents());
        var progress = new LabProgress(new StringWriter());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var passed = false;
        try
        {
            await lab.UpAsync(progress, deadline.Token);
            using var client = KubeClient.Create(lab.Paths.SocketKubeconfig);
            var hz2Pod = topology.Names.Pod(topology.Node("hz-2"));
            var cloud2Pod = topology.Names.Pod(topology.Node("cloud-2"));
            var qd2 = topology.Node("qd-2").PodAddress.ToString();
            var hz2 = topology.Node("hz-2").PodAddress.ToString();
            foreach (var (from, to) in new[] { (hz2Pod, qd2), (cloud2Pod, hz2) })
            {
                (await PingOnceWithinAsync(from, to, TimeSpan.FromSeconds(60))).Should().BeTrue($"{from} reaches {to} before the outage");
            }

            var electedBeforeDiagnose = await ActiveEndpointsAsync(client);
            await LabDiagnoseEvidence.AllPassThenThreeFailsAsync(lab, client, output);
            (await ActiveEndpointsAsync(client)).Should().Equal(electedBeforeDiagnose, "what diagnose was shown broken touched no election");
            TraceMatchesTheObservedTraffic(lab, topology);
            var before = await ActiveEndpointsAsync(client);
            var lostBefore = await LostEventsAsync(client);

            // 2 s before + 2.5 leases of outage + 3 leases after the restart, at 5 pings a second.
            var outage = Lease * 2.5;
            var count = (int)((TimeSpan.FromSeconds(2) + outage + (Lease * 3)).TotalSeconds * 5);
            using var acrossEdges = BackgroundPing.Start(hz2Pod, qd2, count, timeline: true);
            using var cloudToEdge = BackgroundPing.Start(cloud2Pod, hz2, count, timeline: true);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var clock = Stopwatch.StartNew();
            await lab.StopApiServerAsync(deadline.Token);
            await Task.Delay(outage - clock.Elapsed); // the outage itself: a scenario length, not a wait for a condition
            await lab.StartApiServerAsync(progress, deadline.Token);
            output.WriteLine($"API server down for {clock.Elapsed.TotalSeconds:0.0} s (agent lease {Lease.TotalSeconds:0} s)");

            foreach (var ping in new[] { acrossEdges, cloudToEdge })
            {
                var (sent, received, text) = await ping.ResultAsync(TimeSpan.FromMinutes(1));
                output.WriteLine(text);
                received.Should().Be(sent, $"no reply is lost across the outage (gaps, UTC: {string.Join(", ", LabEvidence.PingGaps(text))}):\n{Logs(lab)}");
            }

            (await ActiveEndpointsAsync(client)).Should().Equal(before, $"no endpoint changes:\n{Logs(lab)}");
            (await LostEventsAsync(client)).Should().Be(lostBefore, "no ActiveEndpointLost for an API server outage");
            passed = true;
        }
        finally
        {
            if (!passed)
            {
                LabEvidence.KeepLogs(lab, passed, output);
            }

            await lab.DownAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// `raven trace p-hz-2 p-qd-2` against the lab's kubeconfig names the gateways that carry hangzhou → qingdao; a
    /// burst of pings then grows exactly those gateways' tunnel devices (and, when the trace says relayed, the relay's
    /// forwarded datagrams), while a gateway off the path (shenzhen's) carries none of it. Borrowed by this class
    /// because it already brings the whole lab up.
    /// </summary>
    private void TraceMatchesTheObservedTraffic(LabRunner lab, LabTopology topology)
    {
        var trace = LabTraceEvidence.Trace(lab, "p-hz-2", "p-qd-2");
        output.WriteLine(Raven.Cli.Trace.TraceFormats.ToTable(trace));
        trace.Verdict.Should().NotBe(Raven.Cli.Trace.TraceHealth.Fail);
        trace.From!.Pod.Should().Be("default/p-hz-2");
        trace.To!.Address.Should().Be(topology.Node("qd-2").PodAddress.ToString());
        var gateways = trace.Hops.Where(h => h.Kind == "gateway").Select(h => h.Name).ToList();
        gateways.Should().HaveCount(2, "one gateway on each side");
        var relays = trace.Hops.Where(h => h.Kind == "relay").Select(h => h.Name).ToList();
        var carriers = gateways.Concat(relays).ToList();
        const string device = Raven.Agent.Planning.KernelNames.WireGuardDevice;
        string Ns(string node) => topology.Names.Node(topology.Node(node));
        // `raven status`'s TUNNELS rows for the pair name the serving endpoints and the relay the burst must cross.
        var status = LabTraceEvidence.Status(lab);
        var there = status.Tunnels.Single(t => t.From == "gw-hangzhou" && t.To == "gw-qingdao");
        var back = status.Tunnels.Single(t => t.From == "gw-qingdao" && t.To == "gw-hangzhou");
        output.WriteLine($"raven status: {there.From} ({there.FromNode}) -> {there.To}: {there.Path} via {there.Via}, {there.State}; {back.From} ({back.FromNode}) -> {back.To}: {back.Path} via {back.Via}, {back.State}");
        var statusRelay = there.Path.StartsWith("relay:", StringComparison.Ordinal) ? there.Via : null;

        var watched = carriers.Concat(trace.ReplyHops?.Where(h => h.Kind == "gateway").Select(h => h.Name) ?? []).Append("sz-1").Append(there.FromNode).Append(back.FromNode).Concat(statusRelay is null ? [] : [statusRelay]).Distinct().ToList();
        var before = watched.ToDictionary(n => n, n => LabTraceEvidence.Bytes(Ns(n), device));
        var forwardedBefore = relays.ToDictionary(n => n, n => LabTraceEvidence.Forwarded(Ns(n)));

        const int count = 40, size = 1200;
        var ping = Shell.TryRun("ip", null, "netns", "exec", topology.Names.Pod(topology.Node("hz-2")), "ping", "-n", "-q", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-i", "0.02", "-s", size.ToString(System.Globalization.CultureInfo.InvariantCulture), "-W", "2", topology.Node("qd-2").PodAddress.ToString());
        ping.ExitCode.Should().Be(0, ping.StandardOutput);

        var grown = watched.ToDictionary(n => n, n => (Rx: LabTraceEvidence.Bytes(Ns(n), device).Rx - before[n].Rx, Tx: LabTraceEvidence.Bytes(Ns(n), device).Tx - before[n].Tx));
        output.WriteLine(string.Join("; ", grown.Select(g => $"{g.Key} {device} +{g.Value.Rx} rx, +{g.Value.Tx} tx")));
        const long burst = (long)count * size;
        grown[gateways[0]].Tx.Should().BeGreaterThanOrEqualTo(burst, $"the trace names {gateways[0]} as hangzhou's gateway: it sends the requests into its tunnel");
        grown[gateways[1]].Rx.Should().BeGreaterThanOrEqualTo(burst, $"the trace names {gateways[1]} as qingdao's gateway: the requests arrive through its tunnel");
        foreach (var relay in relays)
        {
            grown[relay].Rx.Should().BeGreaterThanOrEqualTo(burst, $"the trace says relayed via {relay}: the requests reach it");
            grown[relay].Tx.Should().BeGreaterThanOrEqualTo(burst, $"and it sends them on");
            (LabTraceEvidence.Forwarded(Ns(relay)) - forwardedBefore[relay]).Should().BeGreaterThanOrEqualTo(2 * count, $"{relay} routes requests and replies on");
        }

        // The reply: the trace says whether it takes the mirror path; the same burst's replies are held against the
        // gateways the reply hops name.
        trace.Symmetry.Should().NotBeNull();
        output.WriteLine($"reply: {trace.Symmetry!.Summary}");
        var replyGateways = trace.ReplyHops!.Where(h => h.Kind == "gateway").Select(h => h.Name).ToList();
        replyGateways.Should().HaveCount(2, "the reply also crosses one gateway on each side");
        grown[replyGateways[0]].Tx.Should().BeGreaterThanOrEqualTo(burst, $"the reply hops name {replyGateways[0]} as qingdao's gateway: the replies leave through it");
        grown[replyGateways[1]].Rx.Should().BeGreaterThanOrEqualTo(burst, $"and {replyGateways[1]} as hangzhou's: the replies arrive there");

        there.State.Should().Be("up");
        grown[there.FromNode].Tx.Should().BeGreaterThanOrEqualTo(burst, $"raven status names {there.FromNode} as the serving end of hangzhou -> qingdao: the requests leave through it");
        grown[back.FromNode].Rx.Should().BeGreaterThanOrEqualTo(burst, $"raven status names {back.FromNode} as qingdao's serving end: the requests arrive there");
        if (statusRelay is not null)
        {
            grown[statusRelay].Rx.Should().BeGreaterThanOrEqualTo(burst, $"raven status says {there.Path} via {statusRelay}: the requests pass it");
        }
        else
        {
            relays.Should().BeEmpty("raven status says direct, so no relay may carry the burst");
        }

        if (!carriers.Contains("sz-1"))
        {
            grown["sz-1"].Tx.Should().BeLessThan(burst, "shenzhen's gateway is off the traced path");
        }

        GraphDrawsTheLab(lab, topology);
        BenchmarkCrossesTheTunnels(lab, Ns, device, relays);
    }

    /// <summary>
    /// `raven benchmark hz-2 qd-2` as an operator runs it: the bytes it reports as streamed left hangzhou through its
    /// tunnel devices, arrived in qingdao through theirs and, relayed, passed the relay (the kernel's counters, not the
    /// tool's numbers). Summed over each domain's endpoints: hz-2 and qd-2 are hot standbys, whose own node traffic
    /// takes their own tunnels, unlike their pods' traffic, which goes to the serving gateway over raven0.
    /// </summary>
    private void BenchmarkCrossesTheTunnels(LabRunner lab, Func<string, string> ns, string device, IReadOnlyList<string> relays)
    {
        string[] hangzhou = ["hz-1", "hz-2"], qingdao = ["qd-1", "qd-2"];
        (long Rx, long Tx) Sum(IEnumerable<string> nodes) => nodes.Select(n => LabTraceEvidence.Bytes(ns(n), device)).Aggregate((0L, 0L), (a, b) => (a.Item1 + b.Rx, a.Item2 + b.Tx));
        var before = (Source: Sum(hangzhou), Target: Sum(qingdao), Relay: Sum(relays));
        var (code, stdout, stderr) = LabRavenCli.Run(lab, "benchmark", "hz-2", "qd-2", "--seconds", "2", "--echoes", "20", "-o", "json");
        var sent = Sum(hangzhou).Tx - before.Source.Tx;
        var received = Sum(qingdao).Rx - before.Target.Rx;
        var relayed = Sum(relays).Rx - before.Relay.Rx;
        output.WriteLine($"raven benchmark hz-2 qd-2 (exit {code}): {stdout.Trim()} {stderr.Trim()}; hangzhou {device} +{sent} tx, qingdao +{received} rx, relays +{relayed} rx");
        code.Should().Be(0, stderr);
        var result = System.Text.Json.Nodes.JsonNode.Parse(stdout)!;
        var streamed = result["throughput"]!["bytes"]!.GetValue<long>();
        streamed.Should().BePositive("the benchmark streamed something");
        result["latency"]!["samples"]!.GetValue<int>().Should().Be(20);
        sent.Should().BeGreaterThanOrEqualTo(streamed, "the stream leaves hangzhou through its tunnels");
        received.Should().BeGreaterThanOrEqualTo(streamed, "and arrives in qingdao through theirs");
        if (relays.Count > 0)
        {
            relayed.Should().BeGreaterThanOrEqualTo(streamed, "the pair is relayed: the stream passes the relay");
        }
    }

    /// <summary>`raven graph` of the lab: an SVG (kept as an artifact) with a cluster per domain, every node, and the tunnels.</summary>
    private void GraphDrawsTheLab(LabRunner lab, LabTopology topology)
    {
        var svg = LabTraceEvidence.Graph(lab);
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
        List<string> Titles(string kind) => [.. svg.Descendants(ns + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith(kind, StringComparison.Ordinal) ?? false)
            .Select(g => g.Element(ns + "title")?.Value ?? "")];
        var nodes = Titles("node");
        output.WriteLine($"raven graph: {nodes.Count} node(s), {Titles("cluster").Count} cluster(s), {Titles("edge").Count} edge(s)");
        nodes.Should().BeEquivalentTo(topology.Nodes.Select(n => n.NodeName), "every lab node is drawn once");
        Titles("cluster").Should().HaveCount(4, "one cluster per domain");
        Titles("edge").Should().NotBeEmpty("the tunnels between gateways are drawn");
    }

    private static async Task<bool> PingOnceWithinAsync(string ns, string target, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (Shell.TryRun("ip", null, "netns", "exec", ns, "ping", "-n", "-c", "1", "-W", "1", target).ExitCode == 0)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static async Task<List<string>> ActiveEndpointsAsync(KubeClient client) =>
        (await client.CustomObjects(KubeResources.Gateways).ListAsync()).OrderBy(g => g.Name, StringComparer.Ordinal)
            .SelectMany(g => (g.Status.ActiveEndpoints ?? []).Select(e => $"{g.Name}:{e.NodeName}/{e.Type}")).ToList();

    private static async Task<int> LostEventsAsync(KubeClient client) =>
        (await client.Api.CoreV1.ListEventForAllNamespacesAsync()).Items.Count(e => e.Reason == WellKnown.EventActiveEndpointLost);

    private static string Logs(LabRunner lab) => string.Join("\n", Directory.EnumerateFiles(lab.Paths.Logs, "pod-kube-system_raven-controller-*").Append(lab.Paths.Log("apiserver"))
        .Where(File.Exists).Select(f => $"== {Path.GetFileName(f)}\n{string.Join("\n", File.ReadLines(f).TakeLast(40))}"));
}
