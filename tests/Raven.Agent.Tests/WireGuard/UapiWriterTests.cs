using System.Net;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

public class UapiWriterTests
{
    private static readonly WireGuardKey Private = WireGuardKey.ParseHex("6870926412799e5c99263e0ce4c2a582bd1be3d226c4f9cfed182d095ceaa16a");
    private static readonly WireGuardKey PeerA = WireGuardKey.ParseHex("c419ac46fb321bd5f7cc47119e917efb9adcb3ab4ba333cc18dede9757b1d264");
    private static readonly WireGuardKey PeerB = WireGuardKey.ParseHex("cc0108b652a729cfe430716149bde165d307642da5fd48df0610fee4f59f6c44");

    [Fact]
    public void Writes_device_and_peer_fields_in_hex()
    {
        var config = new DeviceConfig
        {
            PrivateKey = Private,
            ListenPort = 4500,
            FwMark = 0,
            Peers =
            [
                new PeerConfig
                {
                    PublicKey = PeerA,
                    PresharedKey = WireGuardKey.Zero,
                    Endpoint = IPEndPoint.Parse("[2001:db8::1]:4500"),
                    PersistentKeepalive = TimeSpan.FromSeconds(5),
                    AllowedIPs = [IPNetwork.Parse("10.99.0.2/32"), IPNetwork.Parse("fd00::/64")],
                },
                new PeerConfig
                {
                    PublicKey = PeerB,
                    UpdateOnly = true,
                    ReplaceAllowedIPs = true,
                    AllowedIPs = [IPNetwork.Parse("10.244.1.0/24")],
                },
            ],
        };

        UapiWriter.WriteSet(config).Should().Be(
            "set=1\n" +
            "private_key=6870926412799e5c99263e0ce4c2a582bd1be3d226c4f9cfed182d095ceaa16a\n" +
            "listen_port=4500\n" +
            "fwmark=0\n" +
            "public_key=c419ac46fb321bd5f7cc47119e917efb9adcb3ab4ba333cc18dede9757b1d264\n" +
            "preshared_key=0000000000000000000000000000000000000000000000000000000000000000\n" +
            "endpoint=[2001:db8::1]:4500\n" +
            "persistent_keepalive_interval=5\n" +
            "allowed_ip=10.99.0.2/32\n" +
            "allowed_ip=fd00::/64\n" +
            "public_key=cc0108b652a729cfe430716149bde165d307642da5fd48df0610fee4f59f6c44\n" +
            "update_only=true\n" +
            "replace_allowed_ips=true\n" +
            "allowed_ip=10.244.1.0/24\n" +
            "\n");
    }

    [Fact]
    public void Removal_sends_only_the_key_and_remove()
    {
        var config = new DeviceConfig { Peers = [new PeerConfig { PublicKey = PeerA, Remove = true, AllowedIPs = [IPNetwork.Parse("10.0.0.0/8")] }] };

        UapiWriter.WriteSet(config).Should().Be(
            "set=1\npublic_key=c419ac46fb321bd5f7cc47119e917efb9adcb3ab4ba333cc18dede9757b1d264\nremove=true\n\n");
    }

    [Fact]
    public void Rejects_out_of_range_values()
    {
        var port = () => UapiWriter.WriteSet(new DeviceConfig { ListenPort = 70000 });
        var keepalive = () => UapiWriter.WriteSet(new DeviceConfig
        {
            Peers = [new PeerConfig { PublicKey = PeerA, PersistentKeepalive = TimeSpan.FromMilliseconds(1500) }],
        });

        port.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*listen_port*");
        keepalive.Should().Throw<ArgumentException>().WithMessage("*persistent_keepalive_interval*whole seconds*");
    }
}
