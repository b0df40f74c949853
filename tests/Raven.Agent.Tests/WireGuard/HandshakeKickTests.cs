using System.Net;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

/// <summary>A new peer's first handshake is started again on a doubling schedule until it completes (not after WireGuard's 5 s).</summary>
public sealed class HandshakeKickTests
{
    private static readonly WireGuardKey A = WireGuardKey.FromBytes(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly WireGuardKey B = WireGuardKey.FromBytes(Enumerable.Repeat((byte)2, 32).ToArray());

    private static DesiredPeer Peer(WireGuardKey key, string? endpoint) => new()
    {
        PublicKey = key,
        Endpoint = endpoint is null ? null : IPEndPoint.Parse(endpoint),
        PersistentKeepalive = TimeSpan.FromSeconds(5),
        AllowedIPs = [IPNetwork.Parse("10.245.0.0/24")],
    };

    private static WireGuardPeer Actual(WireGuardKey key, bool handshaken) =>
        new() { PublicKey = key, LastHandshake = handshaken ? DateTimeOffset.UnixEpoch : null };

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void A_new_peer_with_an_endpoint_is_kicked_on_the_doubling_schedule_until_the_schedule_ends()
    {
        var kick = new HandshakeKick();
        kick.Track([Peer(A, "203.0.113.10:4500"), Peer(B, null)], Ms(1000));
        var kicked = new List<int>();
        for (var t = 1000; t <= 20000; t += 50)
        {
            if (kick.Due([Actual(A, false), Actual(B, false)], Ms(t)).Count > 0)
            {
                kicked.Add(t - 1000);
            }
        }

        kicked.Should().Equal(150, 300, 600, 1200, 2400, 4800);
        kick.HasPending.Should().BeFalse("after the schedule WireGuard's own retries go on");
    }

    [Fact]
    public void A_completed_handshake_ends_the_kicks_and_a_new_endpoint_starts_them_again()
    {
        var kick = new HandshakeKick();
        kick.Track([Peer(A, "203.0.113.10:4500")], Ms(0));
        kick.Due([Actual(A, false)], Ms(150)).Should().Equal(A);
        kick.Due([Actual(A, true)], Ms(300)).Should().BeEmpty();
        kick.HasPending.Should().BeFalse();

        kick.Track([Peer(A, "203.0.113.10:4500")], Ms(400));
        kick.HasPending.Should().BeFalse("an unchanged peer is not tracked again");
        kick.Track([Peer(A, "198.51.100.2:4500")], Ms(500));
        kick.Due([Actual(A, false)], Ms(650)).Should().Equal(A);
    }

    [Fact]
    public void Recreating_a_peer_removes_and_adds_it_in_one_set_with_its_whole_configuration()
    {
        var peers = HandshakeKick.Recreate(Peer(A, "203.0.113.10:4500"));

        peers.Should().HaveCount(2);
        (peers[0].PublicKey, peers[0].Remove).Should().Be((A, true));
        (peers[1].PublicKey, peers[1].Remove).Should().Be((A, false));
        peers[1].Endpoint.Should().Be(IPEndPoint.Parse("203.0.113.10:4500"));
        peers[1].PersistentKeepalive.Should().Be(TimeSpan.FromSeconds(5));
        peers[1].AllowedIPs.Should().Equal(IPNetwork.Parse("10.245.0.0/24"));
        peers[1].UpdateOnly.Should().BeFalse();
    }
}
