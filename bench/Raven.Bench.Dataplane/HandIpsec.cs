using System.Globalization;
using Raven.Agent.Tunnel.IPsec;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// IPsec by hand: one charon per gateway with kernel-libipsec (this kernel has no ESP), started and stopped by PID
/// through the product's supervisor, and one connection loaded over VICI the way a swanctl.conf would: PSK, the same
/// IKE/ESP proposals Raven uses, UDP encapsulation on the tunnel port, the NATed side initiating. Then the TUN
/// device's MTU and one route per side. No plan, no mapper, no table 9028, no netfilter rules.
/// </summary>
internal sealed class HandIpsec : IHandTunnel
{
    private const string Psk = "rvbench-hand-ipsec-psk-not-secret";
    private const string Tun = "ipsec0"; // kernel-libipsec's device when it is the namespace's only one
    private readonly List<CharonSupervisor> _charons = [];
    private readonly string _root = Directory.CreateTempSubdirectory("rvbhi-").FullName;

    public async Task ConnectAsync(LabNode exposed, string exposedPublicIp, LabNode nated, string natedPublicIp, int natedPublicPort, int mtu)
    {
        var cloud = await StartAsync(exposed, "cloud");
        var edge = await StartAsync(nated, "edge");
        // The responder first, so the initiator's start_action=start meets a loaded peer.
        await LoadAsync(cloud, "@hand-cloud", "@hand-edge", "%any", exposed.Subnet, nated.Subnet, initiator: false);
        await LoadAsync(edge, "@hand-edge", "@hand-cloud", exposedPublicIp, nated.Subnet, exposed.Subnet, initiator: true);
        foreach (var (node, remote) in new[] { (exposed, nated.Subnet), (nated, exposed.Subnet) })
        {
            node.Namespace.Ip("link", "set", Tun, "mtu", mtu.ToString(CultureInfo.InvariantCulture), "up");
            node.Namespace.Ip("route", "add", remote, "dev", Tun);
            node.Namespace.EnableForwarding();
        }
    }

    private async Task<CharonSupervisor> StartAsync(LabNode node, string name)
    {
        var charon = new CharonSupervisor(new CharonOptions
        {
            StateDirectory = Directory.CreateDirectory(Path.Combine(_root, name)).FullName,
            NetworkNamespace = node.Namespace.Name,
            Backend = CharonKernelBackend.Libipsec,
        }, libipsec: true, _ => Task.CompletedTask);
        _charons.Add(charon);
        await charon.StartAsync(CancellationToken.None);
        await charon.Client.LoadSharedAsync("hand-psk", Psk, [], CancellationToken.None);
        if (!await AgentLab.WaitUntilAsync(() => node.Namespace.TryExec("ip", "link", "show", Tun).ExitCode == 0, TimeSpan.FromSeconds(15)))
        {
            throw new InvalidOperationException($"charon in {node.Name} never created {Tun}");
        }

        return charon;
    }

    private static Task LoadAsync(CharonSupervisor charon, string localId, string remoteId, string remoteAddress, string localSubnet, string remoteSubnet, bool initiator)
    {
        var child = new ViciSection()
            .Add("local_ts", [localSubnet])
            .Add("remote_ts", [remoteSubnet])
            .Add("esp_proposals", ["aes128gcm16"])
            .Add("mode", "tunnel")
            .Add("start_action", initiator ? "start" : "none")
            .Add("dpd_action", initiator ? "restart" : "clear");
        var connection = new ViciSection()
            .Add("version", "2")
            .Add("local_addrs", ["%any"])
            .Add("remote_addrs", [remoteAddress])
            .Add("remote_port", "4500")
            .Add("encap", "yes")
            .Add("mobike", "no")
            .Add("keyingtries", "0")
            .Add("proposals", ["aes128gcm16-prfsha256-x25519"])
            .Add("local", new ViciSection().Add("auth", "psk").Add("id", localId))
            .Add("remote", new ViciSection().Add("auth", "psk").Add("id", remoteId))
            .Add("children", new ViciSection().Add("hand", child));
        return charon.Client.LoadConnAsync("hand", connection, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var charon in _charons)
        {
            try
            {
                await charon.StopAsync();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"stopping a hand-configured charon: {ex.Message}");
            }
        }

        Directory.Delete(_root, recursive: true);
    }
}
