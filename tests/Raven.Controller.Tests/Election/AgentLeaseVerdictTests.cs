using Raven.Controller.Election;

namespace Raven.Controller.Tests.Election;

public sealed class AgentLeaseVerdictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(40);

    [Fact]
    public void A_current_lease_is_alive()
    {
        AgentLeaseVerdict.Judge(Now.AddSeconds(5), Lease, Now.AddHours(-1), Now).Should().BeTrue();
        AgentLeaseVerdict.NextChange(Now.AddSeconds(5), Lease, Now.AddHours(-1), Now).Should().Be(Now.AddSeconds(5));
    }

    [Fact]
    public void An_expired_lease_is_dead_once_the_API_server_answered_for_a_whole_lease_period()
    {
        AgentLeaseVerdict.Judge(Now.AddSeconds(-1), Lease, Now - Lease, Now).Should().BeFalse();
    }

    [Fact]
    public void A_lease_that_expired_during_an_outage_is_undecided_for_a_lease_period_after_reconnecting()
    {
        var reconnected = Now.AddSeconds(-10);

        AgentLeaseVerdict.Judge(Now.AddSeconds(-30), Lease, reconnected, Now).Should().BeNull("the agent had only 10 s of a reachable API server to renew");
        AgentLeaseVerdict.NextChange(Now.AddSeconds(-30), Lease, reconnected, Now).Should().Be(reconnected + Lease);
        AgentLeaseVerdict.Judge(Now.AddSeconds(-30), Lease, reconnected, reconnected + Lease).Should().BeFalse("after a full period without renewal it is dead");
    }

    [Fact]
    public void Nothing_is_judged_while_the_API_server_does_not_answer()
    {
        AgentLeaseVerdict.Judge(Now.AddMinutes(-5), Lease, reachableSince: null, Now).Should().BeNull();
        AgentLeaseVerdict.NextChange(Now.AddMinutes(-5), Lease, reachableSince: null, Now).Should().BeNull();
    }
}
