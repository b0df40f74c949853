using System.Diagnostics;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel.IPsec;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Kube.Observability;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// In-process agent engines, one per node namespace, fed Gateways as the controller writes them and publishing
/// their WireGuard keys back into the same store. Traffic flows pod to pod across domains and NAT. The theories run
/// once per tunnel backend (--vpn-driver).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed class AgentTunnelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("wireguard")]
    [InlineData("ipsec")]
    [InlineData("vxlan")]
    public async Task Pods_reach_each_other_across_domains_and_nat_and_a_second_apply_changes_nothing(string backend)
    {
        await using var lab = await AgentLab.CreateAsync(backend: backend);
        await lab.StartAllAsync();

        var cloudToEdge = await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, Converge);
        cloudToEdge.Should().NotBeNull($"(a) cloud member pod → edge-a member pod across the NAT\n{lab.Describe()}");
        output.WriteLine($"(a) {backend}: cloud-w pod → a-w pod after {cloudToEdge!.Value.TotalSeconds:0.0} s");

        var edgeToCloud = await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["cloud-gw"].PodIp, Converge);
        edgeToCloud.Should().NotBeNull($"(b) the NATed edge reaches the cloud gateway's pod\n{lab.Describe()}");
        (await AgentLab.WaitForPingAsync(lab["cloud-gw"].Namespace, lab["a-w"].PodIp, Converge))
            .Should().NotBeNull($"(b) the cloud gateway itself (source chosen by its table-9028 route) reaches edge-a's pod\n{lab.Describe()}");

        if (backend == VxlanCableProfile.BackendName)
        {
            // The cable has no NAT traversal: every edge gateway node has a port forward on its router and publishes
            // it, which makes the edges dialable by each other as well, so the planner connects them directly.
            lab["a-gw"].Engine!.LastReport!.Plan.Paths.Should().Contain(p => p.Gateway == "edge-b" && p.Kind == PathKind.Direct);
            (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["b-w"].PodIp, Converge)).Should().NotBeNull($"(c) edge-a → edge-b over the cable\n{lab.Describe()}");
            lab["cloud-gw"].Namespace.Exec("bridge", "fdb", "show", "dev", VxlanCableProfile.DeviceName)
                .Should().Contain($"dst 198.51.100.2 port {AgentLab.FirstCablePort}").And.Contain($"dst 198.51.100.18 port {AgentLab.FirstCablePort}");
        }
        else if (await RelayLimitedAsync(lab["cloud-gw"]))
        {
            lab["a-gw"].Engine!.LastReport!.Plan.Paths.Should().Contain(p => p.Gateway == "edge-b" && p.Kind == PathKind.Relay && p.Via == "cloud");

            // strongSwan < 5.9.12 with kernel-libipsec cannot install a CHILD SA whose local selector holds no address of
            // the host: the relay keeps only its own subnets in its connections, and says so (IPsec README).
            var charon = ((IpsecBackend)lab["cloud-gw"].Tunnel!).Tunnel.Supervisor!.Client;
            var child = (await charon.ListSasAsync(CancellationToken.None)).Single(s => s.Connection == "raven-edge-a").Children.Single();
            child.LocalTrafficSelectors.Should().Contain("10.244.0.0/23").And.NotContain(ts => ts.StartsWith("10.246.", StringComparison.Ordinal),
                "edge-b's subnets hold no address of the cloud gateway");
            (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["b-w"].PodIp, TimeSpan.FromSeconds(3)))
                .Should().BeNull("(c) edge-a → edge-b needs the relay's selector, which this strongSwan cannot install");
            output.WriteLine("(c) ipsec: edge-a → edge-b not relayed (strongSwan < 5.9.12 with kernel-libipsec)");
        }
        else
        {
            lab["a-gw"].Engine!.LastReport!.Plan.Paths.Should().Contain(p => p.Gateway == "edge-b" && p.Kind == PathKind.Relay && p.Via == "cloud");
            var relayed = await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["b-w"].PodIp, Converge);
            relayed.Should().NotBeNull($"(c) edge-a → edge-b through the cloud relay\n{lab.Describe()}");
        }

        // (d) Every engine re-applies the same plan: no netlink request, no restore, no daemon change, no sysctl write.
        foreach (var node in lab.Nodes.Values)
        {
            var report = await node.Engine!.ApplyOnceAsync(CancellationToken.None);
            report.Errors.Should().BeEmpty(node.Name);
            (report.NetlinkChanges, report.NetfilterRestores, report.SysctlWrites, report.TunnelChanged)
                .Should().Be((0L, 0L, 0L, false), $"{node.Name} re-applies an unchanged plan");
        }

        var ready = await AgentLab.WaitUntilAsync(() => lab.Nodes.Values.All(n => n.Engine!.NotReadyReason() is null), TimeSpan.FromSeconds(30));
        ready.Should().BeTrue(string.Join("; ", lab.Nodes.Values.Select(n => $"{n.Name}: {n.Engine!.NotReadyReason()}")));

        // Probes and metrics of the cloud gateway over loopback.
        var engine = lab["cloud-gw"].Engine!;
        await using var probes = await ProbeServer.StartAsync("127.0.0.1:0", engine.NotReadyReason, engine.Metrics.Registry, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(probes.Url) };
        (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        // VXLAN keeps no per-remote counters: with two peers the cable reports none (VxlanCableBackend.ConnectionsAsync).
        (await AgentLab.WaitUntilAsync(
            () => engine.TunnelMetrics.ConnectionsUp.WithLabels(backend).Value == 2 &&
                  (backend == VxlanCableProfile.BackendName || engine.TunnelMetrics.RxBytes.WithLabels(backend, "edge-a").Value > 0),
            TimeSpan.FromSeconds(20))).Should().BeTrue("connection statistics are polled from the backend");
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.Should().Contain($"raven_agent_tunnel_connections_up{{backend=\"{backend}\"}} 2")
            .And.Contain($"raven_agent_tunnel_rx_bytes{{backend=\"{backend}\",gateway=\"edge-a\"}}")
            .And.Contain("raven_agent_routes_programmed").And.Contain("raven_agent_apply_duration_seconds");
        if (backend == "wireguard")
        {
            (await AgentLab.WaitUntilAsync(() => engine.Metrics.Peers.Value == 2 && engine.Metrics.HandshakeAge.WithLabels("edge-a").Value >= 0,
                TimeSpan.FromSeconds(20))).Should().BeTrue("the WireGuard extras are polled too");
            (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Should().Contain("raven_agent_wireguard_peers 2")
                .And.Contain("raven_agent_wireguard_rx_bytes{peer=\"edge-a\"}");
        }

        output.WriteLine(metrics);
    }

    /// <summary>For a failure message: each node's IKE and CHILD SAs (VICI list-sas) and the tail of its charon log.</summary>
    private static async Task<string> IpsecStateAsync(AgentLab lab, params string[] nodes)
    {
        var text = new System.Text.StringBuilder();
        foreach (var name in nodes)
        {
            if (lab[name].Tunnel is not IpsecBackend { Tunnel.Supervisor: { } charon })
            {
                continue;
            }

            foreach (var sa in await charon.Client.ListSasAsync(CancellationToken.None))
            {
                text.AppendLine($"{name}: {sa.Connection} #{sa.UniqueId} {sa.State} {sa.LocalHost}:{sa.LocalPort} -> {sa.RemoteHost}");
                foreach (var child in sa.Children)
                {
                    text.AppendLine($"    {child.Name} {child.State} {string.Join(",", child.LocalTrafficSelectors)} === {string.Join(",", child.RemoteTrafficSelectors)}");
                }
            }

            var log = Path.Combine(lab[name].StateDirectory, IpsecSeam.StateSubdirectory, "charon.log");
            if (File.Exists(log))
            {
                text.AppendLine($"{name}: charon.log (last 40 lines)");
                foreach (var line in File.ReadLines(log).TakeLast(40))
                {
                    text.AppendLine("    " + line);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Whether the relay's charon is a strongSwan that cannot carry relayed subnets (see Tunnel/IPsec/README.md).</summary>
    private static async Task<bool> RelayLimitedAsync(LabNode relay)
    {
        if (relay.Tunnel is not IpsecBackend { Tunnel.Supervisor: { } charon })
        {
            return false;
        }

        var version = await charon.Client.VersionAsync(CancellationToken.None);
        return LibipsecSelectors.Applies(charon.UsesLibipsec, version.Parsed);
    }

    [Fact]
    public async Task Periodic_resync_heals_drift_made_by_someone_else()
    {
        await using var lab = await AgentLab.CreateAsync();
        lab["cloud-w"].SyncPeriod = "2s";
        await lab.StartAllAsync();
        (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, Converge)).Should().NotBeNull(lab.Describe());
        var node = lab["cloud-w"].Namespace;
        // Only a pass after the drift counts: with a fast convergence the last report can still be the first apply's.
        var before = lab["cloud-w"].Engine!.LastReport;

        node.Ip("route", "flush", "table", "9027");
        node.Exec("iptables", "-w", "-t", "mangle", "-F", "RAVEN-MARK-CHAIN");
        var repaired = await AgentLab.WaitUntilAsync(
            () => lab["cloud-w"].Engine!.LastReport is { NetlinkChanges: > 0, NetfilterRestores: > 0 } report && !ReferenceEquals(report, before),
            TimeSpan.FromSeconds(20));
        var healed = await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, TimeSpan.FromSeconds(20));

        repaired.Should().BeTrue("a resync pass re-adds the routes and the rule without any input change");

        healed.Should().NotBeNull($"the next resync restores the routes and the mark rule\n{lab.Describe()}");
        node.Ip("route", "show", "table", "9027").Should().Contain("raven0");
    }

    [Theory]
    [InlineData("wireguard")]
    [InlineData("ipsec")]
    [InlineData("vxlan")]
    public async Task A_restarted_engine_adopts_the_data_plane_and_a_running_ping_keeps_going(string backend)
    {
        await using var lab = await AgentLab.CreateAsync(backend: backend);
        await lab.StartAllAsync();
        (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, Converge)).Should().NotBeNull(lab.Describe());

        using var ping = BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-w"].PodIp, count: 40);
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var name in new[] { "a-gw", "cloud-gw" })
        {
            await lab[name].DetachAsync();
            await lab[name].StartAsync(lab.Inputs, run: false);
            var adopted = await lab[name].Engine!.ApplyOnceAsync(CancellationToken.None);
            adopted.Errors.Should().BeEmpty();
            (adopted.NetlinkChanges, adopted.NetfilterRestores, adopted.TunnelChanged)
                .Should().Be((0L, 0L, false), $"the new engine on {name} adopts links, rules, sets and peers as they are");
        }

        var (sent, received, text) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"(e) {backend}: restart of both gateways' engines during ping: {sent - received} of {sent} lost");
        received.Should().BeGreaterThanOrEqualTo(sent - 2, text);
    }

    [Theory]
    [InlineData("wireguard")]
    [InlineData("ipsec")]
    [InlineData("vxlan")]
    public async Task Switching_the_active_endpoint_moves_traffic_to_the_new_gateway(string backend)
    {
        await using var lab = await AgentLab.CreateAsync(backend: backend);
        await lab.StartAllAsync();
        (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-gw"].PodIp, Converge)).Should().NotBeNull(lab.Describe());
        if (backend == WireGuardProfile.BackendName)
        {
            (await AgentLab.WaitUntilAsync(() => lab.Inputs.Get("edge-a")!.Spec.Endpoints!.All(e => e.Config?.ContainsKey("publicKey") == true),
                Converge)).Should().BeTrue("every tunnel endpoint node publishes its key");
        }

        var oldDevice = lab["a-gw"].Tunnel!.InterfaceName;

        using var ping = BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-gw"].PodIp, count: 50);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        lab.Activate("edge-a", "a-w");
        (await AgentLab.WaitUntilAsync(() => lab["a-w"].Engine!.LastReport?.Plan.Role == PlanRole.TunnelGateway, Converge)).Should().BeTrue(lab.Describe());
        var gap = await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-gw"].PodIp, Converge);

        gap.Should().NotBeNull($"(f) traffic follows the new active endpoint\n{lab.Describe()}");
        output.WriteLine($"(f) {backend}: failover a-gw → a-w: first reply {clock.Elapsed.TotalSeconds:0.0} s after the status change");
        var (sent, received, _) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"(f) {backend}: running ping across the switch: {sent - received} of {sent} lost (gap ≈ {(sent - received) * 0.2:0.0} s)");
        received.Should().BeGreaterThan(0);
        lab["a-gw"].Engine!.LastReport!.Plan.Role.Should().Be(PlanRole.DomainMember);
        (await AgentLab.WaitUntilAsync(() => lab["a-gw"].Namespace.TryExec("ip", "link", "show", oldDevice).ExitCode != 0, TimeSpan.FromSeconds(10)))
            .Should().BeTrue($"the old gateway removed its tunnel device {oldDevice}");
        if (await RelayLimitedAsync(lab["cloud-gw"]))
        {
            output.WriteLine("(f) ipsec: edge-b → edge-a not relayed (strongSwan < 5.9.12 with kernel-libipsec)");
        }
        else
        {
            (await AgentLab.WaitForPingAsync(lab["b-w"].Pod, lab["a-w"].PodIp, Converge)).Should().NotBeNull($"edge-b still reaches edge-a\n{lab.Describe()}");
        }
    }

    [Theory]
    [InlineData("wireguard")]
    [InlineData("ipsec")]
    [InlineData("vxlan")]
    public async Task Forward_node_ip_from_the_config_map_connects_node_addresses(string backend)
    {
        await using var lab = await AgentLab.CreateAsync(backend: backend);
        lab.SetAgentConfig(new Dictionary<string, string> { ["forward-node-ip"] = "true" });
        foreach (var node in lab.Nodes.Values)
        {
            node.PresharedKeySecret = "lab-psk";
        }

        await lab.StartAllAsync();

        var nodeToNode = await AgentLab.WaitForPingAsync(lab["cloud-w"].Namespace, lab["a-w"].PrivateIp, Converge);

        nodeToNode.Should().NotBeNull($"(g) cloud-w (172.16.0.11) → a-w (172.16.1.11) with forward-node-ip\n{lab.Describe()}");
        if (await RelayLimitedAsync(lab["cloud-gw"]))
        {
            output.WriteLine("(g) ipsec: a-w → b-w node addresses not relayed (strongSwan < 5.9.12 with kernel-libipsec)");
            return;
        }

        (await AgentLab.WaitForPingAsync(lab["a-w"].Namespace, lab["b-w"].PrivateIp, Converge)).Should().NotBeNull(lab.Describe());
        if (backend != WireGuardProfile.BackendName)
        {
            return;
        }

        var device = await Raven.Agent.Tunnel.WireGuard.UapiClient.ForInterface(lab["cloud-gw"].WireGuardInterface).GetDeviceAsync(CancellationToken.None);
        device.Peers.Should().HaveCount(2).And.OnlyContain(p => Raven.Agent.Tunnel.WireGuard.WireGuardBackendOptions.PresharedKeyFrom("lab-psk")!.Equals(p.PresharedKey),
            "every peer carries the preshared key derived from $VPN_CONNECTION_PSK");
    }

    [Theory]
    [InlineData("wireguard")]
    [InlineData("ipsec")]
    [InlineData("vxlan")]
    public async Task An_edge_without_nat_is_dialled_directly_by_a_nated_edge(string backend)
    {
        await using var lab = await AgentLab.CreateAsync(withDirectEdge: true, backend: backend);
        await lab.StartAllAsync();

        var direct = await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["d-gw"].PodIp, Converge);

        direct.Should().NotBeNull($"(h) edge-a → edge-d\n{lab.Describe()}\n{(direct is null ? await IpsecStateAsync(lab, "a-gw", "d-gw", "cloud-gw") : "")}");
        var plan = lab["a-gw"].Engine!.LastReport!.Plan;
        plan.Paths.Should().Contain(p => p.Gateway == "edge-d" && p.Kind == PathKind.Direct);
        plan.Tunnel!.Peers.Single(p => p.GatewayName == "edge-d").Endpoint!.ToString().Should().Be("192.0.2.10:4500");
        switch (backend)
        {
            case WireGuardProfile.BackendName:
                var peers = await lab["a-gw"].Vpn!.PeersAsync(CancellationToken.None);
                var dKey = lab["d-gw"].Vpn!.PublicKey();
                peers.Single(p => p.PublicKey.ToBase64() == dKey).LastHandshake.Should().NotBeNull("edge-a handshaked with edge-d itself, not through the cloud");
                break;
            case IpsecProfile.BackendName:
                var charon = ((IpsecBackend)lab["a-gw"].Tunnel!).Tunnel.Supervisor!.Client;
                (await charon.ListSasAsync(CancellationToken.None)).Should().Contain(sa => sa.Connection == "raven-edge-d" && sa.IsEstablished,
                    "edge-a's charon has an IKE SA with edge-d itself, not through the cloud");
                break;
            default:
                lab["a-gw"].Namespace.Exec("bridge", "fdb", "show", "dev", VxlanCableProfile.DeviceName)
                    .Should().Contain("dst 192.0.2.10 ", "edge-a's cable sends to edge-d itself, not through the cloud");
                break;
        }
    }

    [Theory]
    [InlineData("wireguard")]
    [InlineData("ipsec")]
    [InlineData("vxlan")]
    public async Task Cleanup_removes_what_raven_created_and_nothing_else(string backend)
    {
        await using var lab = await AgentLab.CreateAsync(backend: backend);
        await lab.StartAllAsync();
        (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["cloud-w"].PodIp, Converge)).Should().NotBeNull(lab.Describe());
        var gw = lab["a-gw"];
        gw.Namespace.Exec("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-s", "192.0.2.0/24", "-j", "MASQUERADE");
        gw.Namespace.Exec("iptables", "-w", "-t", "mangle", "-A", "PREROUTING", "-s", "192.0.2.0/24", "-j", "RETURN");
        gw.Namespace.Ip("rule", "add", "pref", "300", "table", "300");
        gw.Namespace.Ip("route", "add", "192.0.2.0/24", "dev", "lan0", "table", "300");
        string Foreign() => string.Join("\n", (gw.Namespace.Exec("iptables-save") + gw.Namespace.Ip("rule") + gw.Namespace.Ip("route", "show", "table", "all") +
                gw.Namespace.Ip("-o", "addr")).Split('\n')
            .Where(l => !l.Contains("raven", StringComparison.OrdinalIgnoreCase) && !l.Contains("rvtag", StringComparison.Ordinal) &&
                        !l.Contains("9027", StringComparison.Ordinal) && !l.Contains("9028", StringComparison.Ordinal) &&
                        !l.Contains("ipsec", StringComparison.Ordinal) && !l.Contains("9029", StringComparison.Ordinal) &&
                        !l.Contains("240.", StringComparison.Ordinal) && !l.StartsWith('#') && !l.StartsWith(':') && !l.Contains("valid_lft", StringComparison.Ordinal) &&
                        !l.Contains("fe80::", StringComparison.Ordinal)));
        // IPv6 link-local routes are the kernel's, never Raven's, and appear late: a link's "local fe80::… table local"
        // route only once its duplicate address detection ends, seconds after the link came up. A fast run took the
        // snapshot before that and found it after the cleanup: the cause of this case's rare failures (wireguard too).
        string before = Foreign();
        var charon = (gw.Tunnel as IpsecBackend)?.Tunnel.Supervisor?.Process;
        await gw.DetachAsync();

        using var kernel = await Raven.Agent.Engine.NodeKernel.OpenAsync(gw.Namespace.Name, CancellationToken.None);
        await using var vpn = gw.CreateBackend(kernel, presharedKeySecret: null);
        var errors = await Raven.Agent.Engine.AgentCleanup.RunAsync(kernel, vpn, CancellationToken.None);

        errors.Should().BeEmpty();
        var all = gw.Namespace.Exec("iptables-save") + gw.Namespace.Exec("ipset", "list", "-n") + gw.Namespace.Ip("link") + gw.Namespace.Ip("rule");
        all.Should().NotContainAny("RAVEN-", "raven-", "raven0", "rvtag-agw", "ipsec", "lookup 9027", "lookup 9028", "lookup 9029");
        gw.Namespace.Ip("route", "show", "table", "all").Should().NotContain("table 9027").And.NotContain("table 9028").And.NotContain("table 9029");
        Raven.Agent.Tunnel.WireGuard.DaemonIdentity.FindRunningPid(new() { InterfaceName = gw.WireGuardInterface }).Should().BeNull("the adopted daemon was stopped");
        if (backend == "ipsec")
        {
            charon.Should().NotBeNull("the agent's charon was running before the cleanup");
            charon!.Value.IsAlive.Should().BeFalse("the adopted charon was stopped by PID");

            // Here charon is this test process's own child (the first engine started it, and detaching disposed that
            // Process without waiting): the runtime reaps it on SIGCHLD, asynchronously, so its zombie may still be
            // in the process table right after the cleanup. That race, not the cleanup, failed this case once under load.
            (await AgentLab.WaitUntilAsync(() => !charon.Value.IsPresent, TimeSpan.FromSeconds(10))).Should().BeTrue("the stopped charon is reaped");
        }
        Foreign().Should().Be(before, "foreign rules, routes, addresses and chains are untouched");
        (await Raven.Agent.Engine.AgentCleanup.RunAsync(kernel, vpn, CancellationToken.None)).Should().BeEmpty("cleanup twice is harmless");
    }

    /// <summary>
    /// Last-known-good: while the inputs say they may be stale (a watch lost the API server), even an empty cache
    /// removes nothing: a ping across domains and NAT keeps every reply.
    /// </summary>
    [Fact]
    public async Task Stale_empty_inputs_keep_every_working_path()
    {
        await using var lab = await AgentLab.CreateAsync();
        await lab.StartAllAsync();
        (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, TimeSpan.FromSeconds(60))).Should().NotBeNull(lab.Describe());
        var gateways = lab.Inputs.Current.Gateways.ToArray();
        using var ping = BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-w"].PodIp, count: 40);

        var applies = lab.Nodes.Values.ToDictionary(n => n.Name, n => n.Engine!.Metrics.Applies.Value);
        lab.Inputs.SetStale("the Gateway watch lost the API server");
        lab.Inputs.Clear();
        (await AgentLab.WaitUntilAsync(() => lab.Nodes.Values.All(n => n.Engine!.Metrics.Applies.Value > applies[n.Name]), TimeSpan.FromSeconds(10)))
            .Should().BeTrue("every engine ran an apply pass on the stale, empty inputs");
        await Task.Delay(TimeSpan.FromSeconds(3)); // part of the outage the ping spans
        lab.Inputs.SetGateways(gateways);
        lab.Inputs.SetStale(null);

        var (sent, received, output) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
        received.Should().Be(sent, $"no reply is lost while the inputs are stale:\n{output}\n{lab.Describe()}");
        lab["a-gw"].Engine!.LastReport!.Plan.Tunnel.Should().NotBeNull("the plan kept coming from the last fresh snapshot");
    }
}
