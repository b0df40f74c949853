using System.Net;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

public class DeviceReconcilerTests
{
    [Fact]
    public async Task Second_apply_of_the_same_config_sends_nothing()
    {
        var client = new InMemoryDevice();
        var reconciler = new DeviceReconciler(client);
        var desired = new DesiredDevice
        {
            PrivateKey = WireGuardKey.GeneratePrivateKey(),
            ListenPort = 4500,
            Peers = [new DesiredPeer { PublicKey = WireGuardKey.GeneratePrivateKey().PublicKey(), AllowedIPs = [IPNetwork.Parse("10.244.1.0/24")] }],
        };

        var first = await reconciler.ApplyAsync(desired, CancellationToken.None);
        var second = await reconciler.ApplyAsync(desired, CancellationToken.None);

        first.IsEmpty.Should().BeFalse();
        second.IsEmpty.Should().BeTrue();
        client.Sent.Should().ContainSingle();
    }

    /// <summary>A device that applies set messages to its state, like the daemon would for these fields.</summary>
    private sealed class InMemoryDevice : IWireGuardDeviceClient
    {
        private WireGuardDevice device = new() { ListenPort = 33333 };

        public List<DeviceConfig> Sent { get; } = [];

        public Task<WireGuardDevice> GetDeviceAsync(CancellationToken cancellationToken) => Task.FromResult(device);

        public Task ConfigureAsync(DeviceConfig config, CancellationToken cancellationToken)
        {
            Sent.Add(config);
            var peers = device.Peers.ToDictionary(p => p.PublicKey);
            foreach (var peer in config.Peers)
            {
                if (peer.Remove)
                {
                    peers.Remove(peer.PublicKey);
                    continue;
                }

                var current = peers.GetValueOrDefault(peer.PublicKey) ?? new WireGuardPeer { PublicKey = peer.PublicKey };
                peers[peer.PublicKey] = current with
                {
                    Endpoint = peer.Endpoint ?? current.Endpoint,
                    PersistentKeepalive = peer.PersistentKeepalive ?? current.PersistentKeepalive,
                    AllowedIPs = peer.ReplaceAllowedIPs ? peer.AllowedIPs : [.. current.AllowedIPs, .. peer.AllowedIPs],
                };
            }

            device = device with
            {
                PrivateKey = config.PrivateKey ?? device.PrivateKey,
                ListenPort = config.ListenPort ?? device.ListenPort,
                Peers = [.. peers.Values],
            };
            return Task.CompletedTask;
        }
    }
}
