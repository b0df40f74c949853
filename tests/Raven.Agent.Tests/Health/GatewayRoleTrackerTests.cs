using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Failover;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// The tracker's memory of this gateway's own cut link, in a domain of two gateways and no members (nobody vouches
/// for the standby's LAN): the primary's detector-side hold-down keeps it Down after the standby's link returns, and
/// that must not read as "the primary died".
/// </summary>
public sealed class GatewayRoleTrackerTests
{
    private static readonly string[] Order = ["p", "s"];
    private static readonly GatewayClaim PrimaryServes = new(true, false, 1, 2);

    [Fact]
    public void A_standby_whose_own_link_was_cut_does_not_take_over_while_the_primary_is_still_held_down()
    {
        var tracker = new GatewayRoleTracker();

        var duringCut = Step(tracker, 0, uplink: 0, HealthState.Down);
        var linkBack = Step(tracker, 1, uplink: 2, HealthState.Down);
        var primaryUpAgain = Step(tracker, 4, uplink: 2, HealthState.Up);

        duringCut.Action.Should().Be(RoleAction.Hold);
        linkBack.Action.Should().Be(RoleAction.Hold);
        linkBack.Claim.Serving.Should().BeFalse();
        linkBack.Explanation.Should().Contain("p went Down while this node reached no remote domain");
        primaryUpAgain.Action.Should().Be(RoleAction.StayStandby);
    }

    [Fact]
    public void A_primary_that_stays_down_after_the_standbys_link_returned_is_taken_over_from_after_the_suspicion_period()
    {
        var tracker = new GatewayRoleTracker(new FailoverOptions { SuspectAfterOwnCut = TimeSpan.FromSeconds(5) });

        Step(tracker, 0, uplink: 0, HealthState.Down);
        var before = Step(tracker, 5.9, uplink: 2, HealthState.Down, back: 1);
        var after = Step(tracker, 6, uplink: 2, HealthState.Down);

        before.Action.Should().Be(RoleAction.Hold);
        after.Action.Should().Be(RoleAction.TakeOver);
        after.Claim.Should().Be(new GatewayClaim(true, false, 2, 2));
    }

    [Fact]
    public void A_primary_that_dies_while_the_standby_is_connected_is_taken_over_at_once()
    {
        var tracker = new GatewayRoleTracker();

        Step(tracker, 0, uplink: 2, HealthState.Up);
        var decision = Step(tracker, 1, uplink: 2, HealthState.Down);

        decision.Action.Should().Be(RoleAction.TakeOver);
    }

    /// <param name="back">When given, the standby's uplink is reported back at this time first (a separate pass).</param>
    private static GatewayRoleDecision Step(GatewayRoleTracker tracker, double seconds, int uplink, HealthState primary, double? back = null)
    {
        if (back is { } at)
        {
            Decide(tracker, at, uplink, primary);
        }

        return Decide(tracker, seconds, uplink, primary);
    }

    private static GatewayRoleDecision Decide(GatewayRoleTracker tracker, double seconds, int uplink, HealthState primary) =>
        tracker.Decide(new GatewayRoleInputs
        {
            Self = "s",
            Order = Order,
            Current = default,
            Uplink = uplink,
            RemoteDomains = 2,
            LanHealthy = true,
            Peers = [new GatewayObservation("p", primary, PrimaryServes)],
        }, TimeSpan.FromSeconds(seconds));
}
