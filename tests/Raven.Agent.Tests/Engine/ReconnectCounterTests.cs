using Raven.Agent.Engine;
using Raven.Agent.Tunnel;
using static Raven.Agent.Tests.Engine.ConnectionReportFixtures;

namespace Raven.Agent.Tests.Engine;

public sealed class ReconnectCounterTests
{
    [Fact]
    public void Up_down_up_is_one_reconnect_and_coming_up_the_first_time_is_none()
    {
        var counter = new ReconnectCounter();
        var states = new[]
        {
            TunnelConnectionState.Connecting, TunnelConnectionState.Up, TunnelConnectionState.Up, TunnelConnectionState.Down,
            TunnelConnectionState.Down, TunnelConnectionState.Up, TunnelConnectionState.Connecting, TunnelConnectionState.Up,
        };

        var counts = states.Select(s => counter.Observe([Connection("qd-2", s)])["key-qd-2"]).ToList();

        counts.Should().Equal(0, 0, 0, 0, 0, 1, 1, 2);
    }

    [Fact]
    public void A_connection_that_leaves_the_listing_starts_again_from_zero()
    {
        var counter = new ReconnectCounter();
        counter.Observe([Connection("qd-2")]);
        counter.Observe([Connection("qd-2", TunnelConnectionState.Down)]);
        counter.Observe([]).Should().BeEmpty();

        counter.Observe([Connection("qd-2")])["key-qd-2"].Should().Be(0);
    }
}
