using System.Net;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

public class UapiParserTests
{
    private const string Socket = "/var/run/wireguard/test.sock";
    private static readonly WireGuardKey PublicKeyA = WireGuardKey.ParseBase64("zAEItlKnKc/kMHFhSb3hZdMHZC2l/UjfBhD+5PWfbEQ=");
    private static readonly WireGuardKey PublicKeyB = WireGuardKey.ParseBase64("xBmsRvsyG9X3zEcRnpF++5rcs6tLozPMGN7el1ex0mQ=");

    [Fact]
    public void Parses_an_unconfigured_device()
    {
        var device = UapiParser.ParseDevice(CapturedUapi.Reply(CapturedUapi.UnconfiguredDevice), Socket);

        device.Should().BeEquivalentTo(new WireGuardDevice { ListenPort = 45975 });
    }

    [Fact]
    public void Parses_device_keys_and_both_peers()
    {
        var device = UapiParser.ParseDevice(CapturedUapi.Reply(CapturedUapi.DeviceABeforeHandshake), Socket);

        device.PrivateKey!.ToHex().Should().Be("6870926412799e5c99263e0ce4c2a582bd1be3d226c4f9cfed182d095ceaa16a");
        device.PublicKey.Should().Be(PublicKeyA, "the public key is derived from the private key");
        device.ListenPort.Should().Be(51820);
        device.FwMark.Should().Be(64);
        device.Peers.Should().HaveCount(2);

        var first = device.Peers[0];
        first.PublicKey.Should().Be(PublicKeyB);
        first.PresharedKey!.ToHex().Should().Be("45b2b31d0bba8daefdcd5f7dff86a2243ceb539763e1b8a0ee303a2567ebb74b");
        first.Endpoint.Should().Be(IPEndPoint.Parse("198.51.100.12:51821"));
        first.PersistentKeepalive.Should().Be(TimeSpan.FromSeconds(25));
        first.AllowedIPs.Should().Equal(IPNetwork.Parse("10.99.9.2/32"), IPNetwork.Parse("fd00:99::2/128"));
        first.LastHandshake.Should().BeNull();
        first.TxBytes.Should().Be(148);
        first.RxBytes.Should().Be(0);
        first.ProtocolVersion.Should().Be(1);

        var second = device.Peers[1];
        second.PresharedKey.Should().BeNull("an all-zero preshared key means none");
        second.Endpoint.Should().Be(IPEndPoint.Parse("[2001:db8::1]:51820"));
        second.AllowedIPs.Should().BeEmpty();
        second.PersistentKeepalive.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Parses_handshake_time_and_counters()
    {
        var device = UapiParser.ParseDevice(CapturedUapi.Reply(CapturedUapi.DeviceBAfterHandshake), Socket);

        var peer = device.Peers.Should().ContainSingle().Subject;
        peer.PublicKey.Should().Be(PublicKeyA);
        peer.LastHandshake.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1795323496).AddTicks(331541884 / 100));
        peer.TxBytes.Should().Be(604);
        peer.RxBytes.Should().Be(692);
        device.PublicKey.Should().Be(PublicKeyB);
    }

    [Fact]
    public void Nonzero_errno_throws_naming_the_operation_and_socket()
    {
        var act = () => UapiParser.ParseDevice("errno=-22\n\n", Socket);

        act.Should().Throw<UapiException>()
            .Where(e => e.Operation == "get" && e.Errno == -22)
            .WithMessage($"*get on {Socket}*errno=-22*EINVAL*");
    }

    [Theory]
    [InlineData("listen_port=51820\n", "*no errno*")]
    [InlineData("garbage\nerrno=0\n", "*\"garbage\"*key=value*")]
    [InlineData("listen_port=port\nerrno=0\n", "*listen_port=\"port\"*")]
    [InlineData("public_key=c419ac46fb321bd5f7cc47119e917efb9adcb3ab4ba333cc18dede9757b1d264\nendpoint=nowhere\nerrno=0\n", "*endpoint=\"nowhere\"*")]
    [InlineData("public_key=c419ac46fb321bd5f7cc47119e917efb9adcb3ab4ba333cc18dede9757b1d264\nallowed_ip=10.0.0.0/99\nerrno=0\n", "*allowed_ip=\"10.0.0.0/99\"*")]
    [InlineData("public_key=c419\nerrno=0\n", "*\"c419\"*")]
    public void Malformed_replies_name_the_bad_value(string reply, string message)
    {
        var act = () => UapiParser.ParseDevice(reply, Socket);

        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void Unknown_keys_from_newer_daemons_are_ignored()
    {
        var device = UapiParser.ParseDevice("listen_port=1\nfuture_device_key=1\npublic_key=c419ac46fb321bd5f7cc47119e917efb9adcb3ab4ba333cc18dede9757b1d264\nfuture_peer_key=x\nerrno=0\n\n", Socket);

        device.ListenPort.Should().Be(1);
        device.Peers.Should().ContainSingle();
    }
}
