using System.Diagnostics;
using System.Globalization;
using System.Net;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Planning;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Lab.Shell;
using Raven.Lab.Topology;

namespace Raven.Lab.Run;

/// <summary>The user manual's checks, replayed against the running lab.</summary>
public sealed class LabChecks(LabRunner lab, KubeClient client, LabProgress progress)
{
    private static readonly TimeSpan ConvergeDeadline = TimeSpan.FromSeconds(25);
    private readonly LabProbe _probe = new(new ProcessCommandRunner());
    private LabTopology Topology => lab.Topology;

    public async Task<IReadOnlyList<LabCheck>> RunAsync(bool includeFailover, CancellationToken cancellationToken)
    {
        var gateways = await Gateways(cancellationToken).ConfigureAwait(false);
        var checks = new List<LabCheck> { Election(gateways) };
        var acrossEdges = await RelayedPingAsync("pod -> pod across edges (hz-2 -> qd-2)", Pod("hz-2"), Node("qd-2").PodAddress, gateways, cancellationToken).ConfigureAwait(false);
        checks.Add(acrossEdges);
        checks.Add(await PingAsync("pod -> pod cloud to edge (cloud-2 -> hz-2)", Pod("cloud-2"), Node("hz-2").PodAddress, cancellationToken).ConfigureAwait(false));
        checks.Add(await RelayedPingAsync("node -> node, non-gateways (hz-2 -> qd-2)", NodeNs("hz-2"), Node("qd-2").LanAddress, gateways, cancellationToken).ConfigureAwait(false));
        gateways = await Gateways(cancellationToken).ConfigureAwait(false); // agents have published their keys by now
        checks.Add(acrossEdges.NotApplicable
            ? new LabCheck(LabEdgePath.Name, true, "not observable: the relay carries no hangzhou <-> qingdao traffic with this strongSwan (above)") { NotApplicable = true }
            : await new LabEdgePath(lab, client, new ProcessCommandRunner()).CheckAsync(gateways, cancellationToken).ConfigureAwait(false));
        checks.Add(await ProxyByNameAsync(gateways, cancellationToken).ConfigureAwait(false));
        if (includeFailover)
        {
            checks.Add(await WanCutAsync(gateways, cancellationToken).ConfigureAwait(false));
            checks.Add(await FailoverAsync(await Gateways(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false));
        }

        return checks;
    }

    private LabNode Node(string labName) => Topology.Node(labName);

    private string Pod(string labName) => Topology.Names.Pod(Node(labName));

    private string NodeNs(string labName) => Topology.Names.Node(Node(labName));

    private async Task<IReadOnlyList<Gateway>> Gateways(CancellationToken cancellationToken) =>
        await client.CustomObjects(KubeResources.Gateways).ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    private static LabCheck Election(IReadOnlyList<Gateway> gateways)
    {
        var detail = string.Join("; ", gateways.Select(g =>
            $"{g.Name}: {string.Join(",", (g.Status.ActiveEndpoints ?? []).Select(e => $"{e.NodeName}/{e.Type}"))}"));
        return new LabCheck("gateways elect their endpoints", gateways.All(LabRunner.Elected), detail, $"{gateways.Count} gateways");
    }

    private async Task<LabCheck> PingAsync(string name, string fromNamespace, IPAddress target, CancellationToken cancellationToken)
    {
        progress.Step($"check: {name}");
        var took = await _probe.PingUntilAsync(fromNamespace, target, ConvergeDeadline, cancellationToken).ConfigureAwait(false);
        return took is null
            ? new LabCheck(name, false, $"no reply from {target} within {ConvergeDeadline.TotalSeconds:0}s")
            : new LabCheck(name, true, $"{fromNamespace} reached {target}", $"{took.Value.TotalSeconds:0.0}s to first reply");
    }

    /// <summary>
    /// hangzhou → qingdao goes through the cloud relay. Under IPsec a strongSwan that cannot install the relay's
    /// selectors (see <see cref="LabIpsecRelay"/>) carries no relayed traffic: then the check is N/A (not failed, not
    /// passed) only if the relay's charon shows exactly that limitation, and says so; any other failure fails it.
    /// </summary>
    private async Task<LabCheck> RelayedPingAsync(string name, string fromNamespace, IPAddress target, IReadOnlyList<Gateway> gateways, CancellationToken cancellationToken)
    {
        var check = await PingAsync(name, fromNamespace, target, cancellationToken).ConfigureAwait(false);
        var relay = gateways.FirstOrDefault(g => g.Name == "gw-cloud")?.Status.ActiveEndpoints?.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel)?.NodeName;
        if (check.Passed || lab.VpnDriver != Raven.Agent.Tunnel.IPsec.IpsecProfile.BackendName || relay is null)
        {
            return check;
        }

        var why = await LabIpsecRelay.WhyNotCarriedAsync(lab.Paths.AgentState(relay), "raven-gw-hangzhou", target, cancellationToken).ConfigureAwait(false);
        return why is { KnownLimitation: true }
            ? new LabCheck(name, true, $"NOT RELAYED under IPsec, as this strongSwan allows: {why.Detail}", "strongSwan < 5.9.12") { NotApplicable = true }
            : check with { Detail = $"{check.Detail}; {why?.Detail ?? "the relay's CHILD SA carries it"}" };
    }

    /// <summary>Cloud → edge HTTP by node name through the L7 proxy, on two domains that use the same node IPs.</summary>
    private async Task<LabCheck> ProxyByNameAsync(IReadOnlyList<Gateway> gateways, CancellationToken cancellationToken)
    {
        const string name = "cloud -> edge HTTP by node name (IPs collide)";
        progress.Step($"check: {name}");
        var proxy = gateways.FirstOrDefault(g => g.Spec.ExposeType is not null and not "")?.Status.ActiveEndpoints?.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeProxy);
        var server = proxy is null ? null : Topology.Nodes.FirstOrDefault(n => n.NodeName == proxy.NodeName);
        if (server is null)
        {
            return new LabCheck(name, false, "no exposed gateway has an elected proxy endpoint");
        }

        var answers = new List<string>();
        var watch = Stopwatch.StartNew();
        foreach (var target in new[] { "sz-1", "hz-1" })
        {
            var url = new Uri($"http://{server.LanAddress}:{WellKnown.ProxyServerInsecurePort}/healthz?nodeName={target}");
            var body = await RetryHttpAsync(NodeNs("cloud-2"), url, target, cancellationToken).ConfigureAwait(false);
            if (body is null || !body.Contains($"kubelet on {target}", StringComparison.Ordinal))
            {
                return new LabCheck(name, false, $"GET {url} from cloud-2 did not reach {target}: {body ?? "no answer"}");
            }

            answers.Add($"{target} ({Node(target).LanAddress}) answered");
        }

        return new LabCheck(name, true, string.Join(", ", answers) + $" through {proxy!.NodeName}", $"{watch.Elapsed.TotalSeconds:0.0}s");
    }

    private async Task<string?> RetryHttpAsync(string netns, Uri url, string target, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string? last = null;
        while (watch.Elapsed < ConvergeDeadline)
        {
            try
            {
                var (status, body) = await LabProbe.HttpGetAsync(netns, url, new Dictionary<string, string> { ["X-Tunnel-Proxy-Dest"] = $"{target}:10255" }, cancellationToken)
                    .ConfigureAwait(false);
                last = $"HTTP {status}: {body.Trim()}";
                if (status == 200)
                {
                    return body;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        return last;
    }

    /// <summary>The outage goal of issue 15; the checks report against it, and pass on traffic that resumed unbroken.</summary>
    private static readonly TimeSpan OutageGoal = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Kills hangzhou's active gateway node (kubelet and its pods by PID, its link down) while 10 ms pings run both
    /// ways between cloud-2's pod and the other hangzhou node's pod and a TCP stream runs between them.
    /// </summary>
    private async Task<LabCheck> FailoverAsync(IReadOnlyList<Gateway> gateways, CancellationToken cancellationToken)
    {
        const string name = "failover of gw-hangzhou's gateway node";
        if (Hangzhou(gateways) is not ({ } victim, { } survivor))
        {
            return new LabCheck(name, false, "gw-hangzhou has no active tunnel endpoint to fail, or no second node");
        }

        progress.Step($"check: {name} — stopping {victim.NodeName} (agent and kubelet killed, its link down)");
        return await AcrossAsync(name, victim, survivor, ct => KillNodeAsync(victim, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Cuts hangzhou's active gateway node's WAN at the domain's router (its node, LAN and agent stay up: the
    /// blackhole case), measures as <see cref="FailoverAsync"/>, then mends the cut and waits until the node's pod is
    /// reached again, so the next check starts from a whole lab.
    /// </summary>
    private async Task<LabCheck> WanCutAsync(IReadOnlyList<Gateway> gateways, CancellationToken cancellationToken)
    {
        const string name = "WAN cut of gw-hangzhou's gateway node";
        if (Hangzhou(gateways) is not ({ } victim, { } survivor))
        {
            return new LabCheck(name, false, "gw-hangzhou has no active tunnel endpoint to cut, or no second node");
        }

        progress.Step($"check: {name} — dropping {victim.NodeName}'s traffic to and from the internet at its router");
        var router = Topology.Names.Router(Topology.DomainOf(victim));
        var rules = new[]
        {
            new[] { "FORWARD", "-s", victim.LanAddress.ToString(), "-o", LabNames.RouterWan, "-j", "DROP" },
            new[] { "FORWARD", "-d", victim.LanAddress.ToString(), "-i", LabNames.RouterWan, "-j", "DROP" },
        };
        var runner = new ProcessCommandRunner();
        try
        {
            return await AcrossAsync(name, victim, survivor, async ct =>
            {
                foreach (var rule in rules)
                {
                    await runner.RunCheckedAsync(new CommandLine("ip", ["netns", "exec", router, "iptables", "-w", "-I", .. rule]), ct).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var rule in rules)
            {
                await runner.RunAsync(new CommandLine("ip", ["netns", "exec", router, "iptables", "-w", "-D", .. rule]), CancellationToken.None).ConfigureAwait(false);
            }

            progress.Step($"  mended: waiting for {victim.NodeName}'s pod and, after the hold-down, the domain back on {victim.NodeName}");
            await _probe.PingUntilAsync(Pod("cloud-2"), victim.PodAddress, ConvergeDeadline, cancellationToken).ConfigureAwait(false);
            await HandbackAsync(victim, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The mended node gets its domain back, when it is first in spec order, only after the probes' hold-down (3 s):
    /// the next check must find the data plane settled on one gateway again, which the status shows once the
    /// controller has followed the agents' take-over. A node that is not first gets nothing back: no wait.
    /// </summary>
    private async Task HandbackAsync(LabNode victim, CancellationToken cancellationToken)
    {
        static string? FirstTunnel(IEnumerable<Endpoint>? endpoints) => endpoints?.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel)?.NodeName;
        var hangzhou = (await Gateways(cancellationToken).ConfigureAwait(false)).First(g => g.Name == "gw-hangzhou");
        if (FirstTunnel(hangzhou.Spec.Endpoints) != victim.NodeName)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < HandbackDeadline &&
               FirstTunnel((await Gateways(cancellationToken).ConfigureAwait(false)).First(g => g.Name == "gw-hangzhou").Status.ActiveEndpoints) != victim.NodeName)
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan HandbackDeadline = TimeSpan.FromSeconds(15);

    /// <summary>gw-hangzhou's active tunnel endpoint's node and another node of the domain.</summary>
    private (LabNode? Victim, LabNode? Survivor) Hangzhou(IReadOnlyList<Gateway> gateways)
    {
        var active = gateways.First(g => g.Name == "gw-hangzhou").Status.ActiveEndpoints?.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel)?.NodeName;
        var victim = Topology.Nodes.FirstOrDefault(n => n.NodeName == active);
        return (victim, victim is null ? null : Topology.Domain("hz").Nodes.FirstOrDefault(n => n != victim));
    }

    private async Task<LabCheck> AcrossAsync(string name, LabNode victim, LabNode survivor, Func<CancellationToken, Task> failure, CancellationToken cancellationToken)
    {
        var from = Node("cloud-2");
        if (await _probe.PingUntilAsync(Pod("cloud-2"), survivor.PodAddress, ConvergeDeadline, cancellationToken).ConfigureAwait(false) is null)
        {
            return new LabCheck(name, false, $"{survivor.NodeName}'s pod was not reachable before the failure");
        }

        var ipsec = lab.VpnDriver == Raven.Agent.Tunnel.IPsec.IpsecProfile.BackendName;
        var before = ipsec ? await LabIpsecStandby.CountAsync(lab.Paths.AgentState(survivor.NodeName), null, cancellationToken).ConfigureAwait(false) : default;
        var watch = Stopwatch.StartNew();
        var traffic = await new LabFailoverTraffic(new ProcessCommandRunner()).AcrossAsync(Topology.Names.Pod(from), from.PodAddress,
            Topology.Names.Pod(survivor), survivor.PodAddress, failure, cancellationToken).ConfigureAwait(false);
        var standby = ipsec
            ? "; " + LabIpsecStandby.Describe(survivor.NodeName, before,
                await LabIpsecStandby.CountAsync(lab.Paths.AgentState(survivor.NodeName), watch.Elapsed, cancellationToken).ConfigureAwait(false))
            : "";
        var resumed = await _probe.PingUntilAsync(Pod("cloud-2"), survivor.PodAddress, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false) is not null;
        var after = (await Gateways(cancellationToken).ConfigureAwait(false)).First(g => g.Name == "gw-hangzhou");
        var nowActive = after.Status.ActiveEndpoints?.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel)?.NodeName ?? "none";
        var goal = traffic.OutageThere <= OutageGoal && traffic.OutageBack <= OutageGoal ? "within" : "MISSES";
        var detail = $"{victim.NodeName} failed; cloud-2's pod <-> {survivor.NodeName}'s pod: {traffic.LostThere} and {traffic.LostBack} of 10 ms pings lost " +
                     $"(there, back; {goal} the {OutageGoal.TotalSeconds:0} s goal); TCP stream {traffic.StreamDetail}; status now names {nowActive}{standby}";
        return new LabCheck(name, resumed && traffic.StreamSurvived, resumed ? detail : $"traffic did not resume; {detail}", traffic.Figure);
    }

    private async Task KillNodeAsync(LabNode node, CancellationToken cancellationToken)
    {
        var table = new LabProcessTable(lab.Paths.Root);
        // The kubelet first, so it cannot restart the pods killed after it.
        foreach (var (process, identity) in table.Entries().Where(e => e.Key.EndsWith("-" + node.LabName, StringComparison.Ordinal))
                     .OrderBy(e => e.Key.StartsWith("kubelet-", StringComparison.Ordinal) ? 0 : 1))
        {
            if (identity.IsAlive)
            {
                using var victim = Process.GetProcessById(identity.Pid);
                victim.Kill(); // SIGKILL: a crash, not a clean shutdown
            }
        }

        await new ProcessCommandRunner().RunCheckedAsync(new CommandLine("ip", "-n", NodeNs(node.LabName), "link", "set", LabNames.NodeLan, "down"), cancellationToken)
            .ConfigureAwait(false);
    }
}
