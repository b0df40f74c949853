using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Failover;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Tests.Health;

/// <summary>Single decisions of one gateway; whole scenarios are in <see cref="FailoverScenarioTests"/>.</summary>
public sealed class GatewayRoleTests
{
    private static readonly string[] Order = ["p", "s"];

    [Fact]
    public void A_standby_does_not_take_over_while_a_peer_is_still_Unknown()
    {
        var decision = Decide("s", default, uplink: 1, lan: true, new GatewayObservation("p", HealthState.Unknown));

        decision.Action.Should().Be(RoleAction.WaitForPeers);
        decision.Claim.Serving.Should().BeFalse();
    }

    [Fact]
    public void A_standby_takes_over_above_every_epoch_it_has_heard_even_from_a_gateway_now_Down()
    {
        var decision = Decide("s", new GatewayClaim(false, false, 3, 1), uplink: 1, lan: true,
            new GatewayObservation("p", HealthState.Down, new GatewayClaim(true, false, 9, 1)));

        decision.Action.Should().Be(RoleAction.TakeOver);
        decision.Claim.Should().Be(new GatewayClaim(true, false, 10, 1));
    }

    [Fact]
    public void A_standby_whose_own_lan_is_unhealthy_never_takes_over()
    {
        var decision = Decide("s", default, uplink: 1, lan: false, new GatewayObservation("p", HealthState.Down, Serving(1)));

        decision.Action.Should().Be(RoleAction.Hold);
        decision.Claim.Serving.Should().BeFalse();
    }

    [Fact]
    public void A_standby_that_reaches_no_remote_domain_does_not_take_over_from_a_primary_it_cannot_see()
    {
        var cut = DecideReaching(2, "s", default, uplink: 0, lan: true, new GatewayObservation("p", HealthState.Down, Serving(1)));
        var primaryDead = DecideReaching(2, "s", default, uplink: 1, lan: true, new GatewayObservation("p", HealthState.Down, Serving(1)));

        cut.Action.Should().Be(RoleAction.Hold);
        cut.Claim.Serving.Should().BeFalse();
        cut.Explanation.Should().Contain("reaches none of the 2 remote domains");
        primaryDead.Action.Should().Be(RoleAction.TakeOver);
    }

    [Fact]
    public void A_standby_whose_tunnel_probes_just_went_silent_does_not_take_over_although_its_detectors_still_say_Up()
    {
        var decision = GatewayRole.Decide(new GatewayRoleInputs
        {
            Self = "s",
            Order = Order,
            Current = default,
            Uplink = 2,
            FreshUplink = 0,
            RemoteDomains = 2,
            LanHealthy = true,
            Peers = [new GatewayObservation("p", HealthState.Down, Serving(1))],
        });

        decision.Action.Should().Be(RoleAction.Hold);
    }

    [Fact]
    public void The_primary_claims_at_start_before_its_tunnel_probes_are_up()
    {
        var decision = DecideReaching(2, "p", default, uplink: 0, lan: true, new GatewayObservation("s", HealthState.Up, new GatewayClaim(false, false, 0, 0)));

        decision.Action.Should().Be(RoleAction.TakeOver);
    }

    [Fact]
    public void A_recovered_primary_waits_until_the_serving_standby_yields_then_takes_over()
    {
        var wait = Decide("p", default, uplink: 1, lan: true, new GatewayObservation("s", HealthState.Up, Serving(4)));
        var take = Decide("p", default, uplink: 1, lan: true,
            new GatewayObservation("s", HealthState.Up, Serving(4) with { Yielding = true }));

        wait.Action.Should().Be(RoleAction.WaitForYield);
        wait.Claim.Serving.Should().BeFalse();
        take.Action.Should().Be(RoleAction.TakeOver);
        take.Claim.Epoch.Should().Be(5);
    }

    [Fact]
    public void A_serving_standby_yields_to_the_recovered_primary_and_steps_down_once_it_claims()
    {
        var yielding = Decide("s", Serving(4), uplink: 1, lan: true, new GatewayObservation("p", HealthState.Up, new GatewayClaim(false, false, 0, 1)));
        var stepDown = Decide("s", yielding.Claim, uplink: 1, lan: true, new GatewayObservation("p", HealthState.Up, Serving(5)));

        yielding.Action.Should().Be(RoleAction.Yield);
        yielding.Claim.Should().Be(new GatewayClaim(true, true, 4, 1));
        stepDown.Action.Should().Be(RoleAction.StepDown);
        stepDown.Claim.Serving.Should().BeFalse();
    }

    [Fact]
    public void The_primary_yields_when_the_standby_reaches_more_remote_domains()
    {
        var decision = Decide("p", Serving(1), uplink: 0, lan: true, new GatewayObservation("s", HealthState.Up, new GatewayClaim(false, false, 1, 2)));

        decision.Action.Should().Be(RoleAction.Yield);
        decision.Claim.Should().Be(new GatewayClaim(true, true, 1, 0));
        decision.Explanation.Should().Contain("s reaches 2").And.Contain("p reaches 0");
    }

    [Fact]
    public void Two_claims_at_the_same_epoch_are_settled_by_priority()
    {
        var standby = Decide("s", Serving(1), uplink: 1, lan: true, new GatewayObservation("p", HealthState.Up, Serving(1)));
        var primary = Decide("p", Serving(1), uplink: 1, lan: true, new GatewayObservation("s", HealthState.Up, Serving(1)));

        standby.Action.Should().Be(RoleAction.StepDown);
        primary.Action.Should().Be(RoleAction.StayServing);
    }

    [Fact]
    public void A_serving_gateway_below_a_yielding_peer_reclaims_at_a_new_epoch()
    {
        var decision = Decide("p", Serving(2), uplink: 1, lan: true,
            new GatewayObservation("s", HealthState.Up, Serving(3) with { Yielding = true }));

        decision.Action.Should().Be(RoleAction.Reclaim);
        decision.Claim.Should().Be(new GatewayClaim(true, false, 4, 1));
    }

    [Fact]
    public void A_gateway_missing_from_the_order_is_a_clear_error()
    {
        var act = () => Decide("x", default, uplink: 1, lan: true);

        act.Should().Throw<ArgumentException>().WithMessage("*'x' is not in the domain's gateway order [p, s]*");
    }

    [Fact]
    public void A_gateway_named_twice_in_the_order_is_a_clear_error()
    {
        var act = () => GatewayRole.Decide(new GatewayRoleInputs
        {
            Self = "p",
            Order = ["p", "s", "p"],
            Current = default,
            Uplink = 1,
            LanHealthy = true,
            Peers = [],
        });

        act.Should().Throw<ArgumentException>().WithMessage("*[p, s, p] names a gateway twice*");
    }

    [Theory]
    [InlineData(LinkCarrier.Up, 0, 0, true)]
    [InlineData(LinkCarrier.Up, 3, 1, true)]
    [InlineData(LinkCarrier.Up, 3, 0, false)]
    [InlineData(LinkCarrier.Down, 0, 0, false)]
    [InlineData(LinkCarrier.Down, 3, 3, false)]
    [InlineData(LinkCarrier.Unknown, 0, 0, true)]
    [InlineData(LinkCarrier.Unknown, 3, 1, true)]
    [InlineData(LinkCarrier.Unknown, 3, 0, false)]
    public void Lan_health_needs_carrier_and_a_witness_when_there_is_one_and_an_unreadable_carrier_leaves_it_to_the_witnesses(
        LinkCarrier carrier, int witnesses, int heard, bool healthy) =>
        LanHealth.Judge(carrier, witnesses, heard).Should().Be(healthy);

    [Fact]
    public void A_serving_gateway_whose_lan_carrier_is_lost_yields_to_a_fit_peer_and_steps_down_once_it_claims()
    {
        // Every witness still counts as heard (within the witness window): the carrier alone makes the LAN unhealthy.
        bool lan = LanHealth.Judge(LinkCarrier.Down, witnesses: 2, witnessesHeard: 2);

        var yielding = Decide("p", Serving(1), uplink: 1, lan, new GatewayObservation("s", HealthState.Up, new GatewayClaim(false, false, 1, 1)));
        var steppedDown = Decide("p", yielding.Claim, uplink: 1, lan, new GatewayObservation("s", HealthState.Up, Serving(2)));

        yielding.Action.Should().Be(RoleAction.Yield);
        yielding.Claim.Should().Be(new GatewayClaim(true, true, 1, 1), "it keeps serving, flagged Yielding, until s claims");
        yielding.Explanation.Should().Contain("p (this node) has an unhealthy LAN");
        steppedDown.Action.Should().Be(RoleAction.StepDown);
        steppedDown.Claim.Serving.Should().BeFalse();
    }

    private static GatewayClaim Serving(uint epoch) => new(true, false, epoch, 1);

    private static GatewayRoleDecision Decide(string self, GatewayClaim current, int uplink, bool lan, params GatewayObservation[] peers) =>
        DecideReaching(0, self, current, uplink, lan, peers);

    private static GatewayRoleDecision DecideReaching(int remoteDomains, string self, GatewayClaim current, int uplink, bool lan, params GatewayObservation[] peers) =>
        GatewayRole.Decide(new GatewayRoleInputs
        {
            Self = self,
            Order = Order,
            Current = current,
            Uplink = uplink,
            RemoteDomains = remoteDomains,
            LanHealthy = lan,
            Peers = peers,
        });
}
