using System.Net;
using System.Net.Sockets;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Nat;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Network.Tests.WireGuard;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Nat;

/// <summary>
/// STUN from the port wireguard-go holds: the edge's daemon listens on 4500 and has a tunnel to the cloud's; the
/// raw transport sends the binding requests from 4500 all the same. The observation is the cloud's own view of the
/// edge, the peer endpoint in its UAPI: with a stable mapping the STUN-learned public endpoint is exactly where the
/// tunnel's packets come from; with a symmetric NAT it is not, and the cross-check says so. The tunnel keeps
/// working through it all (the daemons drop the STUN answers they also receive).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TunnelPortNamespaceTests
{
    private const string CloudInterface = "rvtntwgc0";
    private const string EdgeInterface = "rvtntwge0";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static TheoryData<NatKind, string, CrossCheckVerdict> Routers => new()
    {
        { NatKind.PortRestricted, UpstreamNatType.PortRestrictedCone, CrossCheckVerdict.Agree },
        { NatKind.PortForwarded, UpstreamNatType.RestrictedCone, CrossCheckVerdict.Agree },
        { NatKind.Symmetric, UpstreamNatType.Symmetric, CrossCheckVerdict.PortDiffersAsMappingPredicts },
    };

    [WgRootFact]
    public async Task Raw_mode_is_needed_and_chosen_when_wireguard_go_holds_the_port()
    {
        await using var lab = NatLab.Create(NatKind.PortRestricted, secondResponderAddress: false);
        await using var tunnel = await WireGuardPair.StartAsync(lab, CloudInterface, EdgeInterface);

        var plain = () => lab.OpenEdgeTransport(TunnelPortMode.Plain);
        plain.Should().Throw<SocketException>().Which.SocketErrorCode.Should().Be(SocketError.AddressAlreadyInUse);
        await using var auto = lab.OpenEdgeTransport(TunnelPortMode.Auto);
        auto.Mode.Should().Be(StunTransportMode.Raw);
        auto.LocalEndpoint.Should().Be(new IPEndPoint(lab.EdgeAddress, NatLab.TunnelPort));
    }

    [Theory]
    [MemberData(nameof(Routers))]
    public async Task The_public_port_learned_from_the_tunnel_port_is_the_one_the_cloud_sees(NatKind kind, string natType, CrossCheckVerdict verdict)
    {
        if (new WgRootFactAttribute().Skip is { } skip)
        {
            Assert.Fail(skip);
        }

        await using var lab = NatLab.Create(kind, secondResponderAddress: false);
        await using var tunnel = await WireGuardPair.StartAsync(lab, CloudInterface, EdgeInterface);
        var cloudView = await tunnel.CloudViewOfEdgeAsync();

        NatDiscoveryResult result;
        await using (var client = new StunClient(lab.OpenEdgeTransport(TunnelPortMode.Raw)))
        {
            result = await NatProbe.RunAsync(client, NatClassificationNamespaceTests.Fast, CancellationToken.None);
        }

        result.IsSuccess.Should().BeTrue(result.Detail);
        var classification = result.Classification!;
        classification.UpstreamNatType.Should().Be(natType, classification.ToString());
        classification.Local.Port.Should().Be(NatLab.TunnelPort);
        var check = CloudViewCrossCheck.Compare(classification, cloudView, CloudViewSource.WireGuardEndpoint);
        check.Verdict.Should().Be(verdict, check.Diagnostic);
        if (verdict == CrossCheckVerdict.Agree)
        {
            classification.Public.Should().Be(cloudView, "the tunnel's flow and the STUN flow left from the same port and got the same mapping");
        }

        (await WgNetns.WaitForPingAsync(lab.Edge.Name, WireGuardPair.CloudTunnelAddress, Deadline)).Should().BeTrue("the tunnel still works");
        (await tunnel.CloudViewOfEdgeAsync()).Should().Be(cloudView, "the STUN answers did not disturb the peer");
        tunnel.BothDaemonsRunning.Should().BeTrue();
    }
}

/// <summary>wireguard-go on 4500 in the cloud and the edge namespace, the edge dialling the cloud with keepalives.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class WireGuardPair : IAsyncDisposable
{
    public const string CloudTunnelAddress = "10.98.0.1";
    public const string EdgeTunnelAddress = "10.98.0.2";
    private readonly List<WireGuardGoSupervisor> daemons = [];
    private readonly WireGuardKey cloudKey = WireGuardKey.GeneratePrivateKey();
    private readonly WireGuardKey edgeKey = WireGuardKey.GeneratePrivateKey();

    private WireGuardPair()
    {
    }

    public bool BothDaemonsRunning => daemons.All(d => d.ProcessId is { } pid && ProcessSignals.Exists(pid));

    public static async Task<WireGuardPair> StartAsync(NatLab lab, string cloudInterface, string edgeInterface)
    {
        await StopLeftoverAsync(cloudInterface);
        await StopLeftoverAsync(edgeInterface);
        var pair = new WireGuardPair();
        try
        {
            await pair.StartDaemonAsync(lab.Cloud.Name, cloudInterface, CloudTunnelAddress, new DesiredDevice
            {
                PrivateKey = pair.cloudKey,
                ListenPort = NatLab.TunnelPort,
                Peers = [new DesiredPeer { PublicKey = pair.edgeKey.PublicKey(), AllowedIPs = [IPNetwork.Parse(EdgeTunnelAddress + "/32")] }],
            });
            await pair.StartDaemonAsync(lab.Edge.Name, edgeInterface, EdgeTunnelAddress, new DesiredDevice
            {
                PrivateKey = pair.edgeKey,
                ListenPort = NatLab.TunnelPort,
                Peers =
                [
                    new DesiredPeer
                    {
                        PublicKey = pair.cloudKey.PublicKey(),
                        Endpoint = new IPEndPoint(NatLab.CloudAddress, NatLab.TunnelPort),
                        PersistentKeepalive = TimeSpan.FromSeconds(1),
                        AllowedIPs = [IPNetwork.Parse(CloudTunnelAddress + "/32")],
                    },
                ],
            });
            (await WgNetns.WaitForPingAsync(lab.Edge.Name, CloudTunnelAddress, TimeSpan.FromSeconds(20))).Should().BeTrue("the tunnel comes up");
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Where the cloud's daemon sees the edge's tunnel packets come from (its peer endpoint).</summary>
    public async Task<IPEndPoint> CloudViewOfEdgeAsync()
    {
        var device = await daemons[0].Client.GetDeviceAsync(CancellationToken.None);
        return device.Peers.Single().Endpoint ?? throw new InvalidOperationException("the cloud has no endpoint for the edge");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in daemons)
        {
            await daemon.DisposeAsync();
        }
    }

    private static async Task StopLeftoverAsync(string interfaceName)
    {
        if (DaemonIdentity.FindRunningPid(new WireGuardGoOptions { InterfaceName = interfaceName }) is { } pid)
        {
            ProcessSignals.Send(pid, ProcessSignals.SigKill);
            await WgNetns.WaitUntilAsync(() => Task.FromResult(!ProcessSignals.Exists(pid)), TimeSpan.FromSeconds(10));
        }
    }

    private async Task StartDaemonAsync(string ns, string interfaceName, string address, DesiredDevice desired)
    {
        var daemon = new WireGuardGoSupervisor(
            new WireGuardGoOptions { InterfaceName = interfaceName, NetworkNamespace = ns, StopGracePeriod = TimeSpan.FromSeconds(3) },
            async (client, ct) =>
            {
                await WgNetns.IpAsync("-n", ns, "addr", "replace", address + "/24", "dev", interfaceName);
                await WgNetns.IpAsync("-n", ns, "link", "set", interfaceName, "up");
                await new DeviceReconciler(client).ApplyAsync(desired, ct);
            });
        daemons.Add(daemon);
        await daemon.StartAsync(CancellationToken.None);
    }
}
