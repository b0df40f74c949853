using System.Globalization;
using System.Text.RegularExpressions;
using Raven.Agent.Health.Paths;
using Raven.Agent.Nat;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Network.Tests.Agent;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Nat;

/// <summary>
/// Hole punching run by the agents: edge-a and edge-b sit behind port-restricted cones (port-preserving masquerade,
/// unsolicited inbound dropped), edge-s behind a symmetric NAT (<c>--random-fully</c>). All learn their NAT from the
/// cloud gateway's STUN responder. Observed in wireguard-go (UAPI peers and their byte counters), never in the plan:
/// edge-a↔edge-b get a direct peer with a handshake that carries their pods' traffic while the cloud forwards none of
/// it, and edge-s still goes through the cloud.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed partial class HolePunchAgentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(120);
    private const int Pings = 200;
    private const int PingBytes = 1000;

    /// <summary>30 s of 10 ms pings: the upgrade comes about 10 s after the agents start.</summary>
    private const int UpgradePings = 3000;

    /// <summary>
    /// Unanswered pings allowed across the upgrade. The goal is none; the bound leaves the switch's own window
    /// (one decision round, 50 ms, plus both UAPI sets) and a loaded machine's slow rounds: 3-4 pings alone, 20 once
    /// in a full CI run. Switching on each end's own decision lost the time between a-gw's and b-gw's (see the holds):
    /// 186 pings in a run of that code, so the bound still tells the two apart by a factor of three.
    /// </summary>
    private const int UpgradeLossBound = 60;

    /// <summary>
    /// The lab has no WAN latency (no netem here), so direct and relayed differ by the relay's extra hop only: a
    /// fraction of a millisecond. The absolute margin is off and the hold short; the relative margin stays.
    /// </summary>
    private static readonly PunchOptions LabPunch = new()
    {
        Settle = TimeSpan.FromSeconds(1),
        TrialTimeout = TimeSpan.FromSeconds(10),
        RetryAfter = TimeSpan.FromSeconds(5),
        MaxRetryAfter = TimeSpan.FromSeconds(20),
        Cost = new PathCostOptions { MarginAbsolute = TimeSpan.Zero, MarginRelative = 0.05, Hold = TimeSpan.FromSeconds(2) },
    };

    [Fact]
    public async Task Port_restricted_edges_go_direct_through_a_punched_peer_while_the_symmetric_edge_stays_relayed()
    {
        await using var lab = await AgentLab.CreateAsync(area: "rvh3", withSymmetricEdge: true);
        foreach (var node in lab.Nodes.Values)
        {
            node.NatTraversal = true;
            node.HolePunching = true;
            node.Failover = true;
            node.Punch = LabPunch;
        }

        // b-gw holds longer, so it gets ready seconds after a-gw: had each end switched on its own decision, the pair
        // would disagree for those seconds (each drops what the other sends); switching together, a-gw waits for b-gw.
        lab["b-gw"].Punch = LabPunch with { Cost = LabPunch.Cost with { Hold = TimeSpan.FromSeconds(5) } };

        await lab.StartAllAsync();
        foreach (var (domain, node, natType) in new[]
                 {
                     ("edge-a", "a-gw", UpstreamNatType.PortRestrictedCone), ("edge-b", "b-gw", UpstreamNatType.PortRestrictedCone),
                     ("edge-s", "s-gw", UpstreamNatType.Symmetric),
                 })
        {
            var published = await AgentLab.WaitUntilAsync(() =>
                lab.Inputs.Get(domain)!.Spec.Endpoints!.Single(e => e.NodeName == node && e.Type == "tunnel").NATType is { Length: > 0 }, Converge);
            var endpoint = lab.Inputs.Get(domain)!.Spec.Endpoints!.Single(e => e.NodeName == node && e.Type == "tunnel");
            output.WriteLine($"{node}: publicIP={endpoint.PublicIP} publicPort={endpoint.PublicPort} natType={endpoint.NATType}");
            published.Should().BeTrue($"{node} publishes its NAT\n{lab[node].NatLog}");
            endpoint.NATType.Should().Be(natType);
        }

        var keys = new[] { "cloud-gw", "a-gw", "b-gw", "s-gw" }.ToDictionary(n => n, n => lab[n].Vpn!.PublicKey());

        // A ping runs across the upgrade relay -> direct: both ends switch together (docs/nat-traversal.md), so
        // the window in which one sends direct while the other still sends through the relay is short.
        (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["b-w"].PodIp, Converge)).Should().NotBeNull($"the relay carries edge-a <-> edge-b\n{lab.Describe()}");
        var relayedAtStart = !Carries(lab, "a-gw", keys["b-gw"], lab["b-w"].PodIp) && !Carries(lab, "b-gw", keys["a-gw"], lab["a-w"].PodIp);
        var acrossUpgrade = Task.Run(() => lab["a-w"].Pod.TryExec("ping", "-n", "-D", "-O", "-c", UpgradePings.ToString(CultureInfo.InvariantCulture),
            "-i", "0.01", "-W", "1", lab["b-w"].PodIp));

        // Direct: each edge's peer for the other carries the other's pod CIDRs (its AllowedIPs), after a handshake.
        var direct = await AgentLab.WaitUntilAsync(() =>
            Carries(lab, "a-gw", keys["b-gw"], lab["b-w"].PodIp) && Carries(lab, "b-gw", keys["a-gw"], lab["a-w"].PodIp), Converge);
        output.WriteLine($"a-gw path log:\n{lab["a-gw"].HealthLog}\nb-gw path log:\n{lab["b-gw"].HealthLog}");
        if (!direct)
        {
            Dump(lab, keys);
        }

        direct.Should().BeTrue($"the punched peers carry the edges' pods\n{lab.Describe()}");
        var (_, upgradeLog, _) = await acrossUpgrade;
        var upgradeGaps = Raven.Network.Tests.Lab.LabEvidence.PingGaps(upgradeLog);
        var upgradeLost = upgradeGaps.Sum(g => int.Parse(g[(g.LastIndexOf('+') + 1)..], CultureInfo.InvariantCulture));
        output.WriteLine($"{UpgradePings} pings a-w -> b-w every 10 ms across the upgrade (relayed at their start: {relayedAtStart}): " +
                         $"{upgradeLost} unanswered; gaps {string.Join(", ", upgradeGaps)}");
        relayedAtStart.Should().BeTrue("the upgrade happened after the ping started, so the ping measured it");
        upgradeLost.Should().BeLessThanOrEqualTo(UpgradeLossBound, "both ends switch together; each switching on its own decision lost the seconds between the two");
        (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["b-w"].PodIp, Converge)).Should().NotBeNull();

        var before = Counters(lab, keys);
        var toB = Ping(lab["a-w"].Pod, lab["b-w"].PodIp);
        var after = Counters(lab, keys);
        toB.Received.Should().BeGreaterThanOrEqualTo(Pings - 2, "the direct path carries the pings (a loaded 2-core machine drops the odd one: 199 of 200 once); the counters below show which path");
        var payload = (long)Pings * PingBytes;
        (after[("a-gw", "b-gw")].Tx - before[("a-gw", "b-gw")].Tx).Should().BeGreaterThanOrEqualTo(payload, "edge-a sends its pings on the punched peer");
        (after[("a-gw", "b-gw")].Rx - before[("a-gw", "b-gw")].Rx).Should().BeGreaterThanOrEqualTo(payload, "and the replies come back on it");
        (after[("cloud-gw", "b-gw")].Tx - before[("cloud-gw", "b-gw")].Tx).Should().BeLessThan(payload / 5, "the cloud forwards none of it (probes and keepalives only)");
        (after[("a-gw", "cloud-gw")].Tx - before[("a-gw", "cloud-gw")].Tx).Should().BeLessThan(payload / 5);
        Peer(lab, "a-gw", keys["b-gw"])!.LastHandshake.Should().NotBeNull();

        // Symmetric: no peer between edge-a and edge-s; their traffic crosses the cloud.
        Peer(lab, "a-gw", keys["s-gw"]).Should().BeNull("a symmetric NAT with a port-restricted one cannot be punched");
        Peer(lab, "s-gw", keys["a-gw"]).Should().BeNull();
        (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["s-w"].PodIp, Converge)).Should().NotBeNull($"edge-s is reached through the relay\n{lab.Describe()}");
        before = Counters(lab, keys);
        var toS = Ping(lab["a-w"].Pod, lab["s-w"].PodIp);
        after = Counters(lab, keys);
        toS.Received.Should().BeGreaterThanOrEqualTo(Pings - 2, "the relay carries them (the odd ping may drop under load)");
        (after[("cloud-gw", "s-gw")].Tx - before[("cloud-gw", "s-gw")].Tx).Should().BeGreaterThanOrEqualTo(payload, "the cloud forwards edge-a's pings to edge-s");
        (after[("cloud-gw", "a-gw")].Tx - before[("cloud-gw", "a-gw")].Tx).Should().BeGreaterThanOrEqualTo(payload, "and edge-s's replies to edge-a");

        // Figures only (timing is not asserted): same pods, same sizes, one path direct and one relayed.
        var directRtt = Ping(lab["a-w"].Pod, lab["b-w"].PodIp, size: 56);
        var relayRtt = Ping(lab["a-w"].Pod, lab["s-w"].PodIp, size: 56);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RTT a-w pod -> b-w pod (direct, punched): avg {directRtt.AverageMs:0.000} ms; a-w pod -> s-w pod (relayed via cloud): avg {relayRtt.AverageMs:0.000} ms"));
    }

    /// <summary>What a failed punch leaves to look at: each edge's peers as wireguard-go has them, and the routers' UDP 4500 conntrack entries.</summary>
    private void Dump(AgentLab lab, Dictionary<string, string> keys)
    {
        foreach (var node in new[] { "a-gw", "b-gw" })
        {
            foreach (var peer in UapiClient.ForInterface(lab[node].WireGuardInterface).GetDeviceAsync(CancellationToken.None).GetAwaiter().GetResult().Peers)
            {
                var name = keys.FirstOrDefault(k => k.Value == peer.PublicKey.ToBase64()).Key ?? "?";
                output.WriteLine($"{node} peer {name}: endpoint={peer.Endpoint} handshake={peer.LastHandshake} rx={peer.RxBytes} tx={peer.TxBytes} keepalive={peer.PersistentKeepalive} allowed=[{string.Join(", ", peer.AllowedIPs)}]");
            }
        }

        foreach (var domain in new[] { "edge-a", "edge-b" })
        {
            var router = lab.RouterOf(domain);
            output.WriteLine($"{domain} router conntrack:\n{string.Join("\n", router.Exec("cat", "/proc/net/nf_conntrack").Split('\n').Where(l => l.Contains("port=4500", StringComparison.Ordinal)))}");
            output.WriteLine($"{domain} router filter:\n{router.Exec("iptables", "-w", "-vnL")}");
        }
    }

    private static bool Carries(AgentLab lab, string node, string key, string address) =>
        Peer(lab, node, key) is { LastHandshake: not null } peer && peer.AllowedIPs.Any(a => a.Contains(System.Net.IPAddress.Parse(address)));

    private static WireGuardPeer? Peer(AgentLab lab, string node, string key) =>
        UapiClient.ForInterface(lab[node].WireGuardInterface).GetDeviceAsync(CancellationToken.None).GetAwaiter().GetResult()
            .Peers.FirstOrDefault(p => p.PublicKey.ToBase64() == key);

    /// <summary>Rx/Tx bytes of every peer pair of interest: (node, peer node).</summary>
    private static Dictionary<(string Node, string Peer), (long Rx, long Tx)> Counters(AgentLab lab, Dictionary<string, string> keys)
    {
        var counters = new Dictionary<(string, string), (long, long)>();
        foreach (var node in keys.Keys)
        {
            foreach (var other in keys.Keys.Where(k => k != node))
            {
                var peer = Peer(lab, node, keys[other]);
                counters[(node, other)] = (peer?.RxBytes ?? 0, peer?.TxBytes ?? 0);
            }
        }

        return counters;
    }

    private (int Received, double AverageMs) Ping(TestNamespace from, string target, int size = PingBytes)
    {
        var (_, stdout, _) = from.TryExec("ping", "-n", "-q", "-c", Pings.ToString(CultureInfo.InvariantCulture), "-i", "0.01", "-W", "1",
            "-s", size.ToString(CultureInfo.InvariantCulture), target);
        output.WriteLine(stdout.Trim());
        var received = ReceivedPattern().Match(stdout);
        var rtt = RttPattern().Match(stdout);
        return (received.Success ? int.Parse(received.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            rtt.Success ? double.Parse(rtt.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN);
    }

    [GeneratedRegex(@"(\d+) received")]
    private static partial Regex ReceivedPattern();

    [GeneratedRegex(@"= [\d.]+/([\d.]+)/")]
    private static partial Regex RttPattern();
}
