using System.Net;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Network.Tests.WireGuard;

/// <summary>
/// wireguard-go in two namespaces, configured only through the UAPI client. Interface names differ per namespace
/// because the UAPI socket directory is shared by the whole host.
/// </summary>
public sealed class WireGuardGoTunnelTests : IAsyncLifetime
{
    private const string IfA = "rvtwga0";
    private const string IfB = "rvtwgb0";
    private const string TunnelA = "10.99.0.1";
    private const string TunnelB = "10.99.0.2";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly WireGuardKey keyA = WireGuardKey.GeneratePrivateKey();
    private readonly WireGuardKey keyB = WireGuardKey.GeneratePrivateKey();
    private WgTwoNamespaces? topology;
    private WireGuardGoSupervisor? daemonA;
    private WireGuardGoSupervisor? daemonB;
    private int configurationsOfA;

    private DesiredDevice DesiredA => new()
    {
        PrivateKey = keyA,
        ListenPort = 51820,
        Peers = [PeerB],
    };

    private DesiredPeer PeerB => new()
    {
        PublicKey = keyB.PublicKey(),
        Endpoint = IPEndPoint.Parse(WgTwoNamespaces.UnderlayB + ":51821"),
        AllowedIPs = [IPNetwork.Parse(TunnelB + "/32")],
    };

    private DesiredDevice DesiredB => new()
    {
        PrivateKey = keyB,
        ListenPort = 51821,
        Peers =
        [
            new DesiredPeer
            {
                PublicKey = keyA.PublicKey(),
                Endpoint = IPEndPoint.Parse(WgTwoNamespaces.UnderlayA + ":51820"),
                AllowedIPs = [IPNetwork.Parse(TunnelA + "/32")],
            },
        ],
    };

    public async Task InitializeAsync()
    {
        await WgNetns.RemoveLeftoversAsync([IfA, IfB]);
        topology = await WgTwoNamespaces.CreateAsync();
        daemonA = new WireGuardGoSupervisor(
            Options(IfA, WgTwoNamespaces.NsA),
            async (client, ct) =>
            {
                await BringUpInterfaceAsync(WgTwoNamespaces.NsA, IfA, TunnelA);
                await new DeviceReconciler(client).ApplyAsync(DesiredA, ct);
                Interlocked.Increment(ref configurationsOfA);
            });
        daemonB = new WireGuardGoSupervisor(
            Options(IfB, WgTwoNamespaces.NsB),
            async (client, ct) =>
            {
                await BringUpInterfaceAsync(WgTwoNamespaces.NsB, IfB, TunnelB);
                await new DeviceReconciler(client).ApplyAsync(DesiredB, ct);
            });
    }

    public async Task DisposeAsync()
    {
        // Each step runs even when an earlier one throws: daemons by PID first, then the namespaces.
        try
        {
            await StopAsync(daemonA);
        }
        finally
        {
            try
            {
                await StopAsync(daemonB);
            }
            finally
            {
                if (topology is not null)
                {
                    await topology.DisposeAsync();
                }
            }
        }
    }

    [WgRootFact]
    public async Task Tunnel_carries_ping_and_reapplying_the_same_config_sends_nothing()
    {
        await StartBothAsync();

        (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue();

        var counting = new CountingDeviceClient(daemonA!.Client);
        var change = await new DeviceReconciler(counting).ApplyAsync(DesiredA, CancellationToken.None);
        change.IsEmpty.Should().BeTrue();
        counting.Sets.Should().Be(0);

        var device = await daemonA.Client.GetDeviceAsync(CancellationToken.None);
        device.PublicKey.Should().Be(keyA.PublicKey());
        device.ListenPort.Should().Be(51820);
        var peer = device.Peers.Should().ContainSingle().Subject;
        peer.PublicKey.Should().Be(keyB.PublicKey());
        peer.LastHandshake.Should().NotBeNull("the ping went through the tunnel");
        peer.RxBytes.Should().BePositive();
    }

    [WgRootFact]
    public async Task Removing_one_peer_by_diff_leaves_the_other()
    {
        await StartBothAsync();
        var extra = new DesiredPeer
        {
            PublicKey = WireGuardKey.GeneratePrivateKey().PublicKey(),
            AllowedIPs = [IPNetwork.Parse("10.99.0.3/32")],
        };
        var reconciler = new DeviceReconciler(daemonA!.Client);
        await reconciler.ApplyAsync(DesiredA with { Peers = [PeerB, extra] }, CancellationToken.None);
        (await daemonA.Client.GetDeviceAsync(CancellationToken.None)).Peers.Should().HaveCount(2);

        var change = await reconciler.ApplyAsync(DesiredA, CancellationToken.None);

        change.Peers.Should().ContainSingle().Which.Should().BeEquivalentTo(new PeerConfig { PublicKey = extra.PublicKey, Remove = true });
        var device = await daemonA.Client.GetDeviceAsync(CancellationToken.None);
        device.Peers.Should().ContainSingle().Which.PublicKey.Should().Be(keyB.PublicKey());
        (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue();
    }

    [WgRootFact]
    public async Task Killed_daemon_is_restarted_and_reconfigured()
    {
        await StartBothAsync();
        (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue();
        var killed = daemonA!.ProcessId!.Value;

        ProcessSignals.Send(killed, ProcessSignals.SigKill).Should().BeTrue();

        (await WgNetns.WaitUntilAsync(
            () => Task.FromResult(daemonA.Restarts == 1 && daemonA.ProcessId is { } pid && pid != killed),
            Deadline)).Should().BeTrue("the supervisor restarts the daemon it watches by PID");
        configurationsOfA.Should().Be(2);
        daemonA.IsAdopted.Should().BeFalse();
        (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue();
    }

    [WgRootFact]
    public async Task A_failed_reconfiguration_after_a_restart_is_retried()
    {
        var attempts = 0;
        await using var flaky = new WireGuardGoSupervisor(
            Options(IfA, WgTwoNamespaces.NsA),
            async (client, ct) =>
            {
                // The first reconfiguration after the restart fails, as an API outage would make it.
                if (Interlocked.Increment(ref attempts) == 2)
                {
                    throw new InvalidOperationException("simulated configuration failure");
                }

                await BringUpInterfaceAsync(WgTwoNamespaces.NsA, IfA, TunnelA);
                await new DeviceReconciler(client).ApplyAsync(DesiredA, ct);
            });
        await flaky.StartAsync(CancellationToken.None);
        await daemonB!.StartAsync(CancellationToken.None);
        (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue();
        var killed = flaky.ProcessId!.Value;

        ProcessSignals.Send(killed, ProcessSignals.SigKill).Should().BeTrue();

        (await WgNetns.WaitUntilAsync(() => Task.FromResult(flaky.Restarts == 1), Deadline)).Should().BeTrue();
        attempts.Should().Be(3);
        flaky.ProcessId.Should().NotBe(killed);
        (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue();
    }

    [WgRootFact]
    public async Task A_restarted_agent_adopts_the_running_daemon_and_still_supervises_it_by_pid()
    {
        await StartBothAsync();
        (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue();
        var original = daemonA!.ProcessId!.Value;

        // The first agent goes away but leaves the data plane running.
        await daemonA.DetachAsync();
        var configurations = 0;
        var restartedAgent = new WireGuardGoSupervisor(
            Options(IfA, WgTwoNamespaces.NsA),
            async (client, ct) =>
            {
                await BringUpInterfaceAsync(WgTwoNamespaces.NsA, IfA, TunnelA);
                await new DeviceReconciler(client).ApplyAsync(DesiredA, ct);
                Interlocked.Increment(ref configurations);
            });
        try
        {
            await restartedAgent.StartAsync(CancellationToken.None);

            restartedAgent.IsAdopted.Should().BeTrue();
            restartedAgent.ProcessId.Should().Be(original, "the PID comes from the socket's peer credentials");
            (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue("adoption does not disturb the tunnel");

            ProcessSignals.Send(original, ProcessSignals.SigKill).Should().BeTrue();
            (await WgNetns.WaitUntilAsync(
                () => Task.FromResult(restartedAgent.Restarts == 1 && restartedAgent.ProcessId is { } pid && pid != original),
                Deadline)).Should().BeTrue("an adopted daemon is watched too");
            restartedAgent.IsAdopted.Should().BeFalse();
            configurations.Should().Be(2);
            (await WgNetns.WaitForPingAsync(WgTwoNamespaces.NsA, TunnelB, Deadline)).Should().BeTrue();
        }
        finally
        {
            await restartedAgent.DisposeAsync();
        }
    }

    [WgRootFact]
    public async Task Stop_terminates_the_daemon_by_pid_and_removes_its_socket()
    {
        await StartBothAsync();
        var pid = daemonA!.ProcessId!.Value;

        await daemonA.StopAsync();

        ProcessSignals.Exists(pid).Should().BeFalse();
        daemonA.ProcessId.Should().BeNull();
        (await daemonA.Client.IsAliveAsync(CancellationToken.None)).Should().BeFalse();
        File.Exists(daemonA.Client.SocketPath).Should().BeFalse("SIGTERM lets wireguard-go remove its socket");
    }

    private static WireGuardGoOptions Options(string interfaceName, string ns) => new()
    {
        InterfaceName = interfaceName,
        NetworkNamespace = ns,
        RestartDelay = TimeSpan.FromMilliseconds(100),
        StopGracePeriod = TimeSpan.FromSeconds(3),
    };

    private static async Task BringUpInterfaceAsync(string ns, string interfaceName, string address)
    {
        await WgNetns.IpAsync("-n", ns, "addr", "replace", address + "/24", "dev", interfaceName);
        await WgNetns.IpAsync("-n", ns, "link", "set", interfaceName, "up");
    }

    private static async Task StopAsync(WireGuardGoSupervisor? supervisor)
    {
        if (supervisor is not null)
        {
            await supervisor.DisposeAsync();
        }
    }

    private async Task StartBothAsync()
    {
        await daemonA!.StartAsync(CancellationToken.None);
        await daemonB!.StartAsync(CancellationToken.None);
        daemonA.IsAdopted.Should().BeFalse();
        daemonA.ProcessId.Should().NotBeNull();
    }
}
