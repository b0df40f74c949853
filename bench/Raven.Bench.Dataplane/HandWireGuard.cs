using System.Net;
using Raven.Agent.Tunnel.WireGuard;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// The baseline: wireguard-go started by hand in two gateway namespaces, configured over UAPI, plus one route per
/// side and the same MTU Raven chose. No VXLAN, no policy routing, no netfilter rules.
/// </summary>
internal sealed class HandWireGuard : IDisposable, IHandTunnel
{
    private readonly List<BackgroundProcess> _daemons = [];

    public Task ConnectAsync(LabNode exposed, string exposedPublicIp, LabNode nated, string natedPublicIp, int natedPublicPort, int mtu) =>
        ConnectAsync(exposed, exposedPublicIp, nated, mtu);

    /// <summary>Connects <paramref name="exposed"/> (listens on 4500) and <paramref name="nated"/> (dials it, keepalive 1 s).</summary>
    public async Task ConnectAsync(LabNode exposed, string exposedPublicIp, LabNode nated, int mtu)
    {
        var exposedKey = WireGuardKey.GeneratePrivateKey();
        var natedKey = WireGuardKey.GeneratePrivateKey();
        await StartAsync(exposed, "rvbhw-e", mtu, new DeviceConfig
        {
            PrivateKey = exposedKey,
            ListenPort = 4500,
            Peers = [new PeerConfig { PublicKey = natedKey.PublicKey(), AllowedIPs = [IPNetwork.Parse(nated.Subnet)] }],
        }, nated.Subnet);
        await StartAsync(nated, "rvbhw-n", mtu, new DeviceConfig
        {
            PrivateKey = natedKey,
            ListenPort = 4500,
            Peers =
            [
                new PeerConfig
                {
                    PublicKey = exposedKey.PublicKey(),
                    Endpoint = new IPEndPoint(IPAddress.Parse(exposedPublicIp), 4500),
                    PersistentKeepalive = TimeSpan.FromSeconds(1),
                    AllowedIPs = [IPNetwork.Parse(exposed.Subnet)],
                },
            ],
        }, exposed.Subnet);
    }

    private async Task StartAsync(LabNode node, string name, int mtu, DeviceConfig config, string remoteSubnet)
    {
        var ns = node.Namespace;
        var daemon = BackgroundProcess.StartIn(ns, "wireguard-go", "-f", name);
        _daemons.Add(daemon);
        var client = UapiClient.ForInterface(name);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await client.IsAliveAsync(CancellationToken.None))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10) || daemon.HasExited)
            {
                throw new InvalidOperationException($"wireguard-go {name} did not open its UAPI socket: {daemon.StandardError}");
            }

            await Task.Delay(50);
        }

        await client.ConfigureAsync(config, CancellationToken.None);
        ns.Ip("link", "set", name, "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), "up");
        ns.Ip("route", "add", remoteSubnet, "dev", name);
        ns.EnableForwarding();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var daemon in _daemons)
        {
            daemon.Dispose();
        }
    }
}
