using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Wiring;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Agent.Tunnel.WireGuard;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// The agent lab with failover probes on every node and edge-a on two tunnel endpoints: a-gw primary, a-w hot
/// standby. Shared by the failure-case tests: start until every probe that matters is Up, run 10 ms pings both ways
/// across a failure, read which endpoint carries a domain on the cloud gateway (WireGuard: the peer whose AllowedIPs
/// hold it; the VXLAN cable: the cable MAC its table-9028 route's next hop resolves to).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class FailoverLab
{
    public static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    /// <summary>edge-a's pod subnets of a-gw and a-w (the lab's 10.245.x.0/24), merged.</summary>
    public const string EdgeAPods = "10.245.0.0/23";

    /// <param name="withMember">Adds edge-a's plain member a-m; start waits until it probes both gateways Up.</param>
    public static async Task<AgentLab> StartAsync(bool withMember = false, string backend = WireGuardProfile.BackendName)
    {
        var lab = await AgentLab.CreateAsync(withEdgeAMember: withMember, backend: backend);
        try
        {
            foreach (var node in lab.Nodes.Values)
            {
                node.Failover = true;
            }

            await lab.StartAllAsync();
            if (backend == WireGuardProfile.BackendName)
            {
                (await AgentLab.WaitUntilAsync(() => lab.Inputs.Get("edge-a")!.Spec.Endpoints!.All(e => e.Config?.ContainsKey("publicKey") == true),
                    Converge)).Should().BeTrue("every tunnel endpoint node publishes its key");
            }

            lab.Activate("edge-a", "a-gw", "a-w");
            var ready = await AgentLab.WaitUntilAsync(() =>
                Up(lab["cloud-gw"], HealthTargets.Tunnel("edge-a", "a-gw")) && Up(lab["cloud-gw"], HealthTargets.Tunnel("edge-a", "a-w")) &&
                Up(lab["a-w"], HealthTargets.Lan("a-gw")) && Up(lab["a-gw"], HealthTargets.Lan("a-w")) &&
                Up(lab["a-w"], HealthTargets.Tunnel("cloud", "cloud-gw")) && Up(lab["a-gw"], HealthTargets.Tunnel("cloud", "cloud-gw")) &&
                lab["a-gw"].Health!.Claim.Serving && !lab["a-w"].Health!.Claim.Serving &&
                (!withMember || (Up(lab["a-m"], HealthTargets.Lan("a-gw")) && Up(lab["a-m"], HealthTargets.Lan("a-w")))), Converge);
            ready.Should().BeTrue("the cloud probes both endpoints of edge-a through its tunnel, each of them probes the cloud " +
                                  $"through its own, a-gw claims to serve\n{Probes(lab)}\n{lab.Describe()}");
            (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, Converge)).Should().NotBeNull(lab.Describe());
            (await AgentLab.WaitForPingAsync(lab["a-w"].Pod, lab["cloud-w"].PodIp, Converge)).Should().NotBeNull(lab.Describe());
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public static bool Up(LabNode node, string target) => node.Health?.Target(target)?.Statistics.State == HealthState.Up;

    /// <summary>10 ms pings between cloud-w's pod and a-w's pod, one per direction, for <paramref name="seconds"/> seconds.</summary>
    public static (BackgroundPing ToEdge, BackgroundPing ToCloud) Pings(AgentLab lab, int seconds = 6) =>
        (BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-w"].PodIp, count: seconds * 100, interval: "0.01"),
         BackgroundPing.Start(lab["a-w"].Pod.Name, lab["cloud-w"].PodIp, count: seconds * 100, interval: "0.01"));

    /// <summary>Waits for both pings; writes the lost count and the outage it stands for (10 ms per lost ping).</summary>
    public static async Task<(int LostToEdge, int LostToCloud)> ReportAsync(ITestOutputHelper output, string scenario, BackgroundPing toEdge, BackgroundPing toCloud)
    {
        var (sentIn, receivedIn, textIn) = await toEdge.ResultAsync(TimeSpan.FromSeconds(90));
        var (sentOut, receivedOut, textOut) = await toCloud.ResultAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"{scenario}: cloud → edge lost {sentIn - receivedIn} of {sentIn} (≈ {(sentIn - receivedIn) * 10} ms), " +
                         $"edge → cloud lost {sentOut - receivedOut} of {sentOut} (≈ {(sentOut - receivedOut) * 10} ms)");
        receivedIn.Should().BeGreaterThan(0, textIn);
        receivedOut.Should().BeGreaterThan(0, textOut);
        return (sentIn - receivedIn, sentOut - receivedOut);
    }

    /// <summary>
    /// The edge-a endpoint the cloud gateway sends <paramref name="cidr"/> to, read from its kernel or daemon: the
    /// WireGuard peer whose AllowedIPs hold it, or under the cable the node whose cable MAC the neighbour of the
    /// route's next hop names. Null: none.
    /// </summary>
    public static string? CarrierOnCloud(AgentLab lab, string cidr)
    {
        if (lab["cloud-gw"].Backend == VxlanCableProfile.BackendName)
        {
            return CableCarrier(lab, cidr);
        }

        var device = UapiClient.ForInterface(lab["cloud-gw"].WireGuardInterface).GetDeviceAsync(CancellationToken.None).GetAwaiter().GetResult();
        var peer = device.Peers.FirstOrDefault(p => p.AllowedIPs.Any(a => a.ToString() == cidr));
        return peer is null ? null
            : new[] { "a-gw", "a-w" }.FirstOrDefault(n => lab[n].Vpn?.PublicKey() == peer.PublicKey.ToBase64()) ?? peer.PublicKey.ToBase64();
    }

    private static string? CableCarrier(AgentLab lab, string cidr)
    {
        var ns = lab["cloud-gw"].Namespace;
        var route = ns.TryExec("ip", "route", "show", "table", "9028", "exact", cidr).StandardOutput.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var via = Array.IndexOf(route, "via");
        if (via < 0 || via + 1 >= route.Length)
        {
            return null;
        }

        var neighbour = ns.TryExec("ip", "neigh", "show", "dev", VxlanCableProfile.DeviceName, "to", route[via + 1]).StandardOutput.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var lladdr = Array.IndexOf(neighbour, "lladdr");
        return lladdr < 0 || lladdr + 1 >= neighbour.Length ? null
            : new[] { "a-gw", "a-w" }.FirstOrDefault(n => string.Equals(CableMac.For(n).ToString(), neighbour[lladdr + 1], StringComparison.OrdinalIgnoreCase))
              ?? neighbour[lladdr + 1];
    }

    public static string Probes(AgentLab lab) => string.Join("\n", new[] { "cloud-gw", "a-gw", "a-w" }.Select(n =>
        $"{n}: claim {lab[n].Health?.Claim}, serving {string.Join(", ", lab[n].Health?.ServingGateways.Select(p => $"{p.Key}={p.Value}") ?? [])}"));

    public static void WriteLogs(AgentLab lab, ITestOutputHelper output)
    {
        foreach (var name in new[] { "cloud-gw", "a-w", "a-gw" })
        {
            output.WriteLine(lab[name].HealthLog.ToString());
        }
    }
}
