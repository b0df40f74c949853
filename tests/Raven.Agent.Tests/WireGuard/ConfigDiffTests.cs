using System.Net;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

public class ConfigDiffTests
{
    private static readonly WireGuardKey Private = WireGuardKey.GeneratePrivateKey();
    private static readonly WireGuardKey PeerA = WireGuardKey.GeneratePrivateKey().PublicKey();
    private static readonly WireGuardKey PeerB = WireGuardKey.GeneratePrivateKey().PublicKey();
    private static readonly WireGuardKey PeerC = WireGuardKey.GeneratePrivateKey().PublicKey();

    private static readonly DesiredPeer DesiredA = new()
    {
        PublicKey = PeerA,
        Endpoint = IPEndPoint.Parse("198.51.100.2:4500"),
        PersistentKeepalive = TimeSpan.FromSeconds(5),
        AllowedIPs = [IPNetwork.Parse("10.99.0.2/32"), IPNetwork.Parse("10.244.2.0/24")],
    };

    private static readonly DesiredPeer DesiredB = new()
    {
        PublicKey = PeerB,
        AllowedIPs = [IPNetwork.Parse("10.244.3.0/24")],
    };

    private static readonly DesiredDevice Desired = new()
    {
        PrivateKey = Private,
        ListenPort = 4500,
        Peers = [DesiredA, DesiredB],
    };

    /// <summary>What the daemon reports after <see cref="Desired"/> was applied (note the different allowed-IP order).</summary>
    private static readonly WireGuardDevice Converged = new()
    {
        PrivateKey = Private,
        PublicKey = Private.PublicKey(),
        ListenPort = 4500,
        Peers =
        [
            new WireGuardPeer
            {
                PublicKey = PeerA,
                Endpoint = IPEndPoint.Parse("198.51.100.2:4500"),
                PersistentKeepalive = TimeSpan.FromSeconds(5),
                AllowedIPs = [IPNetwork.Parse("10.244.2.0/24"), IPNetwork.Parse("10.99.0.2/32")],
                RxBytes = 100,
                LastHandshake = DateTimeOffset.UnixEpoch,
            },
            new WireGuardPeer
            {
                PublicKey = PeerB,
                Endpoint = IPEndPoint.Parse("203.0.113.9:33333"),
                AllowedIPs = [IPNetwork.Parse("10.244.3.0/24")],
            },
        ],
    };

    [Fact]
    public void Fresh_device_gets_everything_without_update_only()
    {
        var change = ConfigDiff.Compute(Desired, new WireGuardDevice { ListenPort = 40000 });

        change.PrivateKey.Should().Be(Private);
        change.ListenPort.Should().Be(4500);
        change.FwMark.Should().BeNull();
        change.Peers.Should().BeEquivalentTo(new[]
        {
            new PeerConfig
            {
                PublicKey = PeerA,
                Endpoint = DesiredA.Endpoint,
                PersistentKeepalive = TimeSpan.FromSeconds(5),
                AllowedIPs = DesiredA.AllowedIPs,
            },
            new PeerConfig { PublicKey = PeerB, AllowedIPs = DesiredB.AllowedIPs },
        });
    }

    [Fact]
    public void Converged_device_needs_nothing()
    {
        ConfigDiff.Compute(Desired, Converged).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Learned_endpoint_is_kept_when_none_is_desired()
    {
        // PeerB has no desired endpoint (it is behind NAT); the daemon learned 203.0.113.9:33333.
        ConfigDiff.Compute(Desired, Converged).Peers.Should().NotContain(p => p.PublicKey == PeerB);
    }

    [Fact]
    public void Changed_allowed_ips_update_only_that_peer_and_replace_its_list()
    {
        var desired = Desired with { Peers = [DesiredA with { AllowedIPs = [IPNetwork.Parse("10.99.0.2/32")] }, DesiredB] };

        var change = ConfigDiff.Compute(desired, Converged);

        change.Peers.Should().BeEquivalentTo(new[]
        {
            new PeerConfig
            {
                PublicKey = PeerA,
                UpdateOnly = true,
                ReplaceAllowedIPs = true,
                AllowedIPs = [IPNetwork.Parse("10.99.0.2/32")],
            },
        });
        change.PrivateKey.Should().BeNull();
        change.ListenPort.Should().BeNull();
    }

    [Fact]
    public void Changed_endpoint_and_keepalive_are_sent_without_touching_allowed_ips()
    {
        var desired = Desired with
        {
            Peers = [DesiredA with { Endpoint = IPEndPoint.Parse("198.51.100.3:4500"), PersistentKeepalive = TimeSpan.Zero }, DesiredB],
        };

        var peer = ConfigDiff.Compute(desired, Converged).Peers.Should().ContainSingle().Subject;

        peer.Should().BeEquivalentTo(new PeerConfig
        {
            PublicKey = PeerA,
            UpdateOnly = true,
            Endpoint = IPEndPoint.Parse("198.51.100.3:4500"),
            PersistentKeepalive = TimeSpan.Zero,
        });
    }

    [Fact]
    public void Preshared_key_is_set_and_cleared()
    {
        var psk = WireGuardKey.GeneratePresharedKey();
        var withPsk = Desired with { Peers = [DesiredA with { PresharedKey = psk }, DesiredB] };
        var actualWithPsk = Converged with { Peers = [Converged.Peers[0] with { PresharedKey = psk }, Converged.Peers[1]] };

        ConfigDiff.Compute(withPsk, Converged).Peers.Should().ContainSingle().Which.PresharedKey.Should().Be(psk);
        ConfigDiff.Compute(Desired, actualWithPsk).Peers.Should().ContainSingle().Which.PresharedKey.Should().Be(WireGuardKey.Zero);
        ConfigDiff.Compute(withPsk, actualWithPsk).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Undesired_peers_are_removed_individually_never_by_replace()
    {
        var actual = Converged with
        {
            Peers = [.. Converged.Peers, new WireGuardPeer { PublicKey = PeerC, AllowedIPs = [IPNetwork.Parse("10.244.9.0/24")] }],
        };
        var desired = Desired with { Peers = [DesiredA] };

        var change = ConfigDiff.Compute(desired, actual);

        change.Peers.Should().BeEquivalentTo(new[]
        {
            new PeerConfig { PublicKey = PeerB, Remove = true },
            new PeerConfig { PublicKey = PeerC, Remove = true },
        });
        UapiWriter.WriteSet(change).Should().NotContain("replace_peers");
    }

    [Fact]
    public void Device_fields_change_only_when_they_differ_and_are_specified()
    {
        var otherKey = WireGuardKey.GeneratePrivateKey();

        ConfigDiff.Compute(Desired with { ListenPort = null }, Converged with { ListenPort = 1234 }).IsEmpty.Should().BeTrue();
        ConfigDiff.Compute(Desired with { FwMark = 0x40 }, Converged).FwMark.Should().Be(0x40);
        ConfigDiff.Compute(Desired with { FwMark = 0 }, Converged).IsEmpty.Should().BeTrue();
        ConfigDiff.Compute(Desired with { PrivateKey = otherKey }, Converged).PrivateKey.Should().Be(otherKey);
    }

    [Fact]
    public void Duplicate_desired_peers_are_rejected_naming_the_key()
    {
        var act = () => ConfigDiff.Compute(Desired with { Peers = [DesiredA, DesiredA] }, Converged);

        act.Should().Throw<ArgumentException>().WithMessage($"*{PeerA.ToBase64()}*twice*");
    }

    [Fact]
    public void Duplicate_allowed_ips_do_not_count_as_a_change()
    {
        var desired = Desired with { Peers = [DesiredA with { AllowedIPs = [.. DesiredA.AllowedIPs, .. DesiredA.AllowedIPs] }, DesiredB] };

        ConfigDiff.Compute(desired, Converged).IsEmpty.Should().BeTrue();
    }
}
