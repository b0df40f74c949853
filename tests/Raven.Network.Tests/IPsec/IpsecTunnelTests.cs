using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel.IPsec;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Network.Tests.Agent;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.IPsec;

/// <summary>
/// Real charons (strongSwan 5.9.8, kernel-libipsec) in namespaces, driven only through <see cref="IpsecTunnel"/>
/// and its VICI client: NAT traversal, incremental changes, supervision, adoption and cleanup, observed through
/// charon's own SA list, the kernel's routes and rules, and pings between the pod namespaces.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(IpsecLabCollection.Name)]
public sealed class IpsecTunnelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_nated_edge_and_a_public_gateway_carry_pod_traffic_through_the_tun_device_on_ravens_routes_only()
    {
        await using var lab = await IpsecLab.CreateAsync();
        var (cloud, edge) = (lab["cloud"], lab["edge1"]);

        var cloudResult = await cloud.Tunnel.ApplyAsync([Spec(cloud, edge, null, IpsecRole.Responder)], CancellationToken.None);
        var edgeResult = await edge.Tunnel.ApplyAsync([Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator)], CancellationToken.None);
        output.WriteLine($"cloud: {cloudResult} ({cloudResult.Device}); edge: {edgeResult} ({edgeResult.Device})");
        cloudResult.Loaded.Should().Equal("raven-edge1");
        edgeResult.Device.Should().StartWith("ipsec");

        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull("edge pod → cloud pod through IPsec across the NAT");
        (await AgentLab.WaitForPingAsync(cloud.Pod, edge.PodIp, Converge)).Should().NotBeNull("cloud pod → edge pod back through the NAT mapping");

        // charon's view through our VICI client: one IKE SA, NAT seen, ESP in UDP between the tunnel ports.
        var sa = (await edge.Tunnel.Supervisor!.Client.ListSasAsync(CancellationToken.None)).Should().ContainSingle().Subject;
        sa.IsEstablished.Should().BeTrue();
        sa.NatLocal.Should().BeTrue("the edge is behind MASQUERADE");
        (sa.LocalPort, sa.RemotePort).Should().Be((4500, 4500));
        sa.Children.Should().ContainSingle().Which.Encapsulated.Should().BeTrue();
        var status = (await cloud.Tunnel.ConnectionsAsync(CancellationToken.None)).Should().ContainSingle().Subject;
        status.State.Should().Be(IpsecConnectionState.Up);
        status.PacketsIn.Should().BePositive();
        status.RemoteEndpoint.Should().StartWith("198.51.100.2:", "the cloud sees the edge at its NAT's public address");

        // The gateway itself reaches the remote pods: Raven's route gives it a source inside the local selector.
        (await AgentLab.WaitForPingAsync(edge.Namespace, cloud.PodIp, Converge)).Should().NotBeNull("gateway-originated traffic uses the route's src");

        using var netlink = RtNetlink.OpenInNamespace(edge.Namespace.Name);
        var device = netlink.GetLink(edgeResult.Device!);
        netlink.ListRoutes(KernelNames.WireGuardRouteTable).Should().ContainSingle()
            .Which.Should().Match<NetRoute>(r => r.OutputInterface == device.Index
                && r.Destination == cloud.Subnet && Equals(r.PreferredSource, IPAddress.Parse(edge.GatewayPodIp)));
        netlink.ListRules().Should().NotContain(r => r.Table == 220, "charon installs no rule for strongSwan's usual table");

        // charon's own route for the SA is parked in its table; without Raven's route nothing reaches the tunnel.
        netlink.ListRoutes(9029).Should().Contain(r => r.Destination == cloud.Subnet && r.OutputInterface == device.Index);
        var route = netlink.ListRoutes(KernelNames.WireGuardRouteTable).Single();
        netlink.DeleteRoute(route);
        edge.Pod.TryExec("ping", "-n", "-c", "2", "-W", "1", cloud.PodIp).ExitCode.Should().NotBe(0, "charon's own route is never used");
        var reapplied = await edge.Tunnel.ApplyAsync([Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator)], CancellationToken.None);
        reapplied.RoutesChanged.Should().BeTrue();
        reapplied.Loaded.Should().BeEmpty("the connection itself did not change");
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull("Raven's route is back");
    }

    [Fact]
    public async Task A_second_connection_is_added_and_removed_without_rekeying_the_first()
    {
        await using var lab = await IpsecLab.CreateAsync(withPublicEdge: true);
        var (cloud, edge1, edge2) = (lab["cloud"], lab["edge1"], lab["edge2"]);
        var toEdge1 = Spec(cloud, edge1, null, IpsecRole.Responder);
        var toEdge2 = Spec(cloud, edge2, edge2.IkeAddress, IpsecRole.Initiator);
        await cloud.Tunnel.ApplyAsync([toEdge1], CancellationToken.None);
        await edge1.Tunnel.ApplyAsync([Spec(edge1, cloud, cloud.IkeAddress, IpsecRole.Initiator)], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge1.Pod, cloud.PodIp, Converge)).Should().NotBeNull("the first connection is up");
        var first = await SaOfAsync(cloud, "raven-edge1");

        // The public edge answers; the cloud initiates towards it.
        await edge2.Tunnel.ApplyAsync([Spec(edge2, cloud, cloud.IkeAddress, IpsecRole.Responder)], CancellationToken.None);
        var added = await cloud.Tunnel.ApplyAsync([toEdge1, toEdge2], CancellationToken.None);
        added.Loaded.Should().Equal(["raven-edge2"], "only the new connection is sent to charon");
        added.Unloaded.Should().BeEmpty();
        (await AgentLab.WaitForPingAsync(cloud.Pod, edge2.PodIp, Converge)).Should().NotBeNull("the second connection carries traffic");
        (await SaOfAsync(cloud, "raven-edge1")).Should().Be(first, "adding a connection leaves the first SA as it was");

        var again = await cloud.Tunnel.ApplyAsync([toEdge1, toEdge2], CancellationToken.None);
        again.Changed.Should().BeFalse($"the same connections twice change nothing ({again})");

        var removed = await cloud.Tunnel.ApplyAsync([toEdge1], CancellationToken.None);
        removed.Unloaded.Should().Equal("raven-edge2");
        removed.Loaded.Should().BeEmpty();
        var client = cloud.Tunnel.Supervisor!.Client;
        (await AgentLab.WaitUntilAsync(() => client.ListSasAsync(CancellationToken.None).Result.All(s => s.Connection != "raven-edge2"), Converge))
            .Should().BeTrue("the removed connection's SA is deleted");
        (await client.ListConnsAsync(CancellationToken.None)).Select(c => c.Name).Should().Equal("raven-edge1");
        (await AgentLab.WaitUntilAsync(() => edge2.Tunnel.Supervisor!.Client.ListSasAsync(CancellationToken.None).Result.Count == 0, Converge))
            .Should().BeTrue("the peer got the IKE DELETE");
        (await SaOfAsync(cloud, "raven-edge1")).Should().Be(first, "removing a connection leaves the other SA as it was");
        (await AgentLab.WaitForPingAsync(edge1.Pod, cloud.PodIp, Converge)).Should().NotBeNull();
    }

    [Fact]
    public async Task A_changed_connection_is_reloaded_and_only_its_sa_is_re_established()
    {
        await using var lab = await IpsecLab.CreateAsync(withPublicEdge: true);
        var (cloud, edge1, edge2) = (lab["cloud"], lab["edge1"], lab["edge2"]);
        var toEdge1 = Spec(cloud, edge1, null, IpsecRole.Responder);
        var toEdge2 = Spec(cloud, edge2, edge2.IkeAddress, IpsecRole.Initiator);
        await edge2.Tunnel.ApplyAsync([Spec(edge2, cloud, cloud.IkeAddress, IpsecRole.Responder)], CancellationToken.None);
        await cloud.Tunnel.ApplyAsync([toEdge1, toEdge2], CancellationToken.None);
        await edge1.Tunnel.ApplyAsync([Spec(edge1, cloud, cloud.IkeAddress, IpsecRole.Initiator)], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge1.Pod, cloud.PodIp, Converge)).Should().NotBeNull();
        (await AgentLab.WaitForPingAsync(cloud.Pod, edge2.PodIp, Converge)).Should().NotBeNull();
        var (first, second) = (await SaOfAsync(cloud, "raven-edge1"), await SaOfAsync(cloud, "raven-edge2"));

        // The responder side of edge1's connection changes (a new DPD interval): charon gets it, the old SA goes,
        // and the NATed initiator comes back with the new one.
        var changed = await cloud.Tunnel.ApplyAsync([toEdge1 with { DpdDelay = TimeSpan.FromSeconds(10) }, toEdge2], CancellationToken.None);

        changed.Loaded.Should().Equal("raven-edge1");
        var client = cloud.Tunnel.Supervisor!.Client;
        (await AgentLab.WaitUntilAsync(
            () => client.ListSasAsync(CancellationToken.None).Result.Any(s => s.Connection == "raven-edge1" && s.IsEstablished && s.UniqueId != first.Ike), Converge))
            .Should().BeTrue("edge1 re-establishes against the reloaded connection");
        (await client.ListConnsAsync(CancellationToken.None)).Single(c => c.Name == "raven-edge1").DpdDelaySeconds.Should().Be(10);
        (await AgentLab.WaitForPingAsync(edge1.Pod, cloud.PodIp, Converge)).Should().NotBeNull();
        (await SaOfAsync(cloud, "raven-edge2")).Should().Be(second, "the unchanged connection keeps its SA");
    }

    [Fact]
    public async Task A_killed_charon_is_restarted_and_its_secret_connections_and_routes_reloaded()
    {
        await using var lab = await IpsecLab.CreateAsync();
        var (cloud, edge) = (lab["cloud"], lab["edge1"]);
        await cloud.Tunnel.ApplyAsync([Spec(cloud, edge, null, IpsecRole.Responder)], CancellationToken.None);
        await edge.Tunnel.ApplyAsync([Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator)], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull();
        var before = await SaOfAsync(cloud, "raven-edge1");
        var supervisor = edge.Tunnel.Supervisor!;
        var killed = supervisor.Process!.Value;

        ProcessSignals.Send(killed.Pid, ProcessSignals.SigKill).Should().BeTrue();

        (await AgentLab.WaitUntilAsync(() => supervisor.Restarts == 1 && supervisor.Process is { IsAlive: true }, Converge))
            .Should().BeTrue("the supervisor starts a new charon");
        supervisor.Process!.Value.Should().NotBe(killed);
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull("the new charon got its PSK, connection and routes back");
        (await SaOfAsync(cloud, "raven-edge1")).Ike.Should().NotBe(before.Ike, "the cloud replaced the dead peer's SA with the new one");
        (await AgentLab.WaitUntilAsync(
            () => cloud.Tunnel.ConnectionsAsync(CancellationToken.None).Result.Single().Reconnects == 1, Converge))
            .Should().BeTrue("the cloud counted one re-establishment");
    }

    [Fact]
    public async Task A_new_tunnel_adopts_the_running_charon_and_touches_no_sa()
    {
        await using var lab = await IpsecLab.CreateAsync();
        var (cloud, edge) = (lab["cloud"], lab["edge1"]);
        var edgeSpec = Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator);
        await cloud.Tunnel.ApplyAsync([Spec(cloud, edge, null, IpsecRole.Responder)], CancellationToken.None);
        await edge.Tunnel.ApplyAsync([edgeSpec], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull();
        var pid = edge.Tunnel.Supervisor!.Process!.Value;
        var (edgeSa, cloudSa) = (await SaOfAsync(edge, "raven-cloud"), await SaOfAsync(cloud, "raven-edge1"));

        using var ping = BackgroundPing.Start(edge.Pod.Name, cloud.PodIp, count: 25);
        await edge.Tunnel.DetachAsync();
        await edge.Tunnel.DisposeAsync();
        edge.Tunnel = IpsecLab.NewTunnel(edge);
        var result = await edge.Tunnel.ApplyAsync([edgeSpec], CancellationToken.None);

        result.Changed.Should().BeFalse($"an adopted charon already runs what is wanted ({result})");
        edge.Tunnel.Supervisor!.IsAdopted.Should().BeTrue();
        edge.Tunnel.Supervisor.Process.Should().Be(pid);
        (await SaOfAsync(edge, "raven-cloud")).Should().Be(edgeSa, "adoption re-keys nothing");
        (await SaOfAsync(cloud, "raven-edge1")).Should().Be(cloudSa);
        var (sent, received, text) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
        received.Should().Be(sent, $"no packet is lost while the tunnel is re-created\n{text}");
    }

    [Fact]
    public async Task A_charon_running_with_other_settings_is_restarted_rather_than_adopted()
    {
        await using var lab = await IpsecLab.CreateAsync();
        var (cloud, edge) = (lab["cloud"], lab["edge1"]);
        var edgeSpec = Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator);
        await cloud.Tunnel.ApplyAsync([Spec(cloud, edge, null, IpsecRole.Responder)], CancellationToken.None);
        await edge.Tunnel.ApplyAsync([edgeSpec], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull();
        var old = edge.Tunnel.Supervisor!.Process!.Value;

        await edge.Tunnel.DetachAsync();
        await edge.Tunnel.DisposeAsync();
        edge.Tunnel = IpsecLab.NewTunnel(edge, deadPeerTimeout: TimeSpan.FromSeconds(20));
        var result = await edge.Tunnel.ApplyAsync([edgeSpec], CancellationToken.None);

        edge.Tunnel.Supervisor!.IsAdopted.Should().BeFalse("charon reads strongswan.conf once, so new settings need a new charon");
        old.IsAlive.Should().BeFalse("the old charon was stopped by PID");
        result.Loaded.Should().Equal("raven-cloud");
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull();
    }

    [Fact]
    public async Task Cleanup_stops_charon_by_pid_and_leaves_no_device_route_or_rule_even_after_a_kill()
    {
        await using var lab = await IpsecLab.CreateAsync();
        var (cloud, edge) = (lab["cloud"], lab["edge1"]);
        await cloud.Tunnel.ApplyAsync([Spec(cloud, edge, null, IpsecRole.Responder)], CancellationToken.None);
        var edgeResult = await edge.Tunnel.ApplyAsync([Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator)], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull();

        // An orderly cleanup: charon says goodbye (IKE DELETE) and takes its device, routes and rule along.
        var edgeCharon = edge.Tunnel.Supervisor!.Process!.Value;
        await edge.Tunnel.CleanupAsync(CancellationToken.None);
        edgeCharon.IsAlive.Should().BeFalse();
        AssertNothingLeft(edge, edgeResult.Device!);
        (await AgentLab.WaitUntilAsync(() => cloud.Tunnel.Supervisor!.Client.ListSasAsync(CancellationToken.None).Result.Count == 0, Converge))
            .Should().BeTrue("the cloud got the edge's IKE DELETE");

        // A charon killed while no agent watched leaves its rule and table behind; a new agent's cleanup removes them.
        await cloud.Tunnel.DetachAsync();
        var cloudCharon = ProcessIdentity.Parse(File.ReadAllLines(Path.Combine(cloud.StateDirectory, "charon.pid"))[0])!.Value;
        ProcessSignals.Send(cloudCharon.Pid, ProcessSignals.SigKill).Should().BeTrue();
        (await AgentLab.WaitUntilAsync(() => !cloudCharon.IsAlive, Converge)).Should().BeTrue();
        using (var netlink = RtNetlink.OpenInNamespace(cloud.Namespace.Name))
        {
            netlink.ListRules().Should().Contain(r => r.Table == 9029, "a killed charon cannot remove its rule");
        }

        await cloud.Tunnel.DisposeAsync();
        cloud.Tunnel = IpsecLab.NewTunnel(cloud);
        await cloud.Tunnel.CleanupAsync(CancellationToken.None);
        AssertNothingLeft(cloud, "ipsec0");
    }

    [Fact]
    public async Task A_relay_keeps_what_charon_can_route_and_reports_what_it_cannot()
    {
        await using var lab = await IpsecLab.CreateAsync(withSecondNatedEdge: true);
        var (cloud, edge1, edge3) = (lab["cloud"], lab["edge1"], lab["edge3"]);
        IpsecConnectionSpec Relay(IpsecGateway edge, IpsecGateway other) =>
            Spec(cloud, edge, null, IpsecRole.Responder) with { LocalSubnets = [cloud.Subnet, other.Subnet] };
        IpsecConnectionSpec ToCloud(IpsecGateway edge, IpsecGateway other) =>
            Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator) with { RemoteSubnets = [cloud.Subnet, other.Subnet] };

        var relay = await cloud.Tunnel.ApplyAsync([Relay(edge1, edge3), Relay(edge3, edge1)], CancellationToken.None);
        await edge1.Tunnel.ApplyAsync([ToCloud(edge1, edge3)], CancellationToken.None);
        await edge3.Tunnel.ApplyAsync([ToCloud(edge3, edge1)], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge1.Pod, cloud.PodIp, Converge)).Should().NotBeNull("edge1 ↔ cloud");
        (await AgentLab.WaitForPingAsync(edge3.Pod, cloud.PodIp, Converge)).Should().NotBeNull("edge3 ↔ cloud");

        var version = (await cloud.Tunnel.Supervisor!.Client.VersionAsync(CancellationToken.None)).Parsed;
        output.WriteLine($"strongSwan {version}: {string.Join("; ", relay.Diagnostics)}");
        if (version < LibipsecSelectors.FixedIn)
        {
            // charon would fail the whole CHILD SA over the relayed subnet (no cloud address in it): it is left out.
            relay.Diagnostics.Should().Contain(d => d.Connection == "raven-edge1" && d.Message.Contains(edge3.Subnet.ToString(), StringComparison.Ordinal));
            var child = (await cloud.Tunnel.Supervisor.Client.ListSasAsync(CancellationToken.None))
                .Single(s => s.Connection == "raven-edge1").Children.Single();
            child.LocalTrafficSelectors.Should().Equal(cloud.Subnet.ToString());
        }
        else
        {
            relay.Diagnostics.Should().BeEmpty();
            (await AgentLab.WaitForPingAsync(edge1.Pod, edge3.PodIp, Converge)).Should().NotBeNull("edge1 → cloud → edge3");
        }
    }

    [Fact]
    public async Task Dead_peer_detection_brings_the_connection_back_after_an_outage()
    {
        await using var lab = await IpsecLab.CreateAsync();
        var (cloud, edge) = (lab["cloud"], lab["edge1"]);
        foreach (var gateway in new[] { cloud, edge })
        {
            await gateway.Tunnel.DisposeAsync();
            gateway.Tunnel = IpsecLab.NewTunnel(gateway, deadPeerTimeout: TimeSpan.FromSeconds(3));
        }

        var quick = TimeSpan.FromSeconds(1);
        await cloud.Tunnel.ApplyAsync([Spec(cloud, edge, null, IpsecRole.Responder) with { DpdDelay = quick }], CancellationToken.None);
        await edge.Tunnel.ApplyAsync([Spec(edge, cloud, cloud.IkeAddress, IpsecRole.Initiator) with { DpdDelay = quick }], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull();
        var before = await SaOfAsync(edge, "raven-cloud");

        // The internet drops every UDP datagram between the two: DPD probes go unanswered.
        lab.Internet.Exec("iptables", "-w", "-I", "FORWARD", "-p", "udp", "-j", "DROP");
        var client = edge.Tunnel.Supervisor!.Client;
        (await AgentLab.WaitUntilAsync(
            () => client.ListSasAsync(CancellationToken.None).Result.All(s => s.UniqueId != before.Ike), Converge))
            .Should().BeTrue("the initiator declares the peer dead after 3 s and starts over (dpd_action = restart)");
        (await AgentLab.WaitUntilAsync(
            () => cloud.Tunnel.Supervisor!.Client.ListSasAsync(CancellationToken.None).Result.Count == 0, Converge))
            .Should().BeTrue("the responder clears the dead SA (dpd_action = clear)");

        lab.Internet.Exec("iptables", "-w", "-D", "FORWARD", "-p", "udp", "-j", "DROP");
        (await AgentLab.WaitForPingAsync(edge.Pod, cloud.PodIp, Converge)).Should().NotBeNull("the restarted initiation gets through once the path is back");
        (await SaOfAsync(edge, "raven-cloud")).Ike.Should().NotBe(before.Ike);
    }

    [Fact]
    public async Task The_kernel_esp_probe_agrees_with_ip_xfrm()
    {
        Root.Require();
        var probe = KernelEspProbe.Probe();
        using var ns = TestNamespace.Create(IpsecLab.Area);

        var added = ns.TryExec("ip", "xfrm", "state", "add", "src", "192.0.2.2", "dst", "192.0.2.1", "proto", "esp", "spi", "0x100",
            "mode", "transport", "aead", "rfc4106(gcm(aes))", "0x" + new string('1', 40), "128");

        output.WriteLine($"probe: {probe}; ip xfrm: exit {added.ExitCode} {added.StandardError.Trim()}");
        probe.Available.Should().Be(added.ExitCode == 0, probe.Reason);
    }

    private static async Task<(uint Ike, uint Child)> SaOfAsync(IpsecGateway gateway, string connection)
    {
        var sa = (await gateway.Tunnel.Supervisor!.Client.ListSasAsync(CancellationToken.None)).Single(s => s.Connection == connection);
        return (sa.UniqueId, sa.Children.Single(c => c.IsInstalled).UniqueId);
    }

    private static void AssertNothingLeft(IpsecGateway gateway, string device)
    {
        using var netlink = RtNetlink.OpenInNamespace(gateway.Namespace.Name);
        netlink.FindLink(device).Should().BeNull("the TUN device goes with charon");
        netlink.ListRules().Should().NotContain(r => r.Table == 9029 || r.Table == 220);
        netlink.ListRoutes(9029).Should().BeEmpty();
        netlink.ListRoutes(KernelNames.WireGuardRouteTable).Should().BeEmpty("routes through the device went with it");
        File.Exists(Path.Combine(gateway.StateDirectory, "charon.pid")).Should().BeFalse();
        File.Exists(Path.Combine(gateway.StateDirectory, "charon.vici")).Should().BeFalse();
    }

    internal static IpsecConnectionSpec Spec(IpsecGateway local, IpsecGateway remote, IPAddress? remoteAddress, IpsecRole role) => new()
    {
        Name = $"raven-{remote.Name}",
        LocalAddress = local.IkeAddress,
        RemoteAddress = remoteAddress,
        LocalId = local.Id,
        RemoteId = remote.Id,
        LocalSubnets = [local.Subnet],
        RemoteSubnets = [remote.Subnet],
        Role = role,
        DpdDelay = TimeSpan.FromSeconds(15),
    };
}

public sealed class IpsecLabCollection
{
    public const string Name = "ipsec lab";
}
