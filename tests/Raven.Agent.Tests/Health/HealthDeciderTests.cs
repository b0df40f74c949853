using System.Net;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Failover;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Health.Wiring;

namespace Raven.Agent.Tests.Health;

/// <summary>The wiring's decisions from probe results: edge-a has a-gw (primary) and a-w (standby); cloud-gw is remote.</summary>
public class HealthDeciderTests
{
    private static readonly HealthDomain EdgeA = new("edge-a",
        [new("a-gw", IPAddress.Parse("172.16.1.10")), new("a-w", IPAddress.Parse("172.16.1.11"))], [new("a-m", IPAddress.Parse("172.16.1.12"))]);

    private static readonly HealthDomain Cloud = new("cloud", [new("cloud-gw", IPAddress.Parse("172.16.0.10"))], []);

    private readonly Dictionary<string, ProbeStatistics> _probes = new(StringComparer.Ordinal);
    private readonly HealthDecider _decider = new();

    private static ProbeStatistics Probe(HealthState state, GatewayClaim? claim = null, int replies = 0) =>
        new(state, replies, 0, 0, 0, 0, 0, 0, 0, null, null, null, claim, 0, null);

    private HealthDecision Decide(HealthView view, double seconds, LinkCarrier carrier = LinkCarrier.Unknown) =>
        _decider.Decide(view, name => _probes.GetValueOrDefault(name), _ => TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(seconds), carrier);

    [Fact]
    public void A_member_follows_the_serving_claim_and_moves_to_the_first_up_standby_when_the_primary_goes_down()
    {
        var member = new HealthView("a-m", EdgeA, [Cloud]);
        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Up, new GatewayClaim(true, false, 1, 1));
        _probes[HealthTargets.Lan("a-w")] = Probe(HealthState.Up, new GatewayClaim(false, false, 0, 1));
        Decide(member, 1).Serving["edge-a"].Should().Be("a-gw");

        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Down, new GatewayClaim(true, false, 1, 1));
        var moved = Decide(member, 2);

        moved.Serving["edge-a"].Should().Be("a-w");
        moved.Changes.Should().ContainSingle().Which.Should().Contain("a-gw -> a-w");
        moved.Serving.Should().NotContainKey("cloud", "a member chooses only for its own domain");
    }

    [Fact]
    public void A_member_whose_own_link_is_down_sees_everything_down_and_moves_nothing()
    {
        var member = new HealthView("a-m", EdgeA, [Cloud]);
        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Up, new GatewayClaim(true, false, 1, 1));
        _probes[HealthTargets.Lan("a-w")] = Probe(HealthState.Up);
        Decide(member, 1);

        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Down);
        _probes[HealthTargets.Lan("a-w")] = Probe(HealthState.Down);

        Decide(member, 2).Serving["edge-a"].Should().Be("a-gw");
        Decide(member, 10).Changes.Should().BeEmpty();
    }

    [Fact]
    public void A_remote_gateway_that_loses_every_endpoint_through_the_serving_peer_tries_the_next_once_per_rotation_period()
    {
        var cloud = new HealthView("cloud-gw", Cloud, [EdgeA]);
        _probes[HealthTargets.Tunnel("edge-a", "a-gw")] = Probe(HealthState.Up, new GatewayClaim(true, false, 1, 1), replies: 10);
        _probes[HealthTargets.Tunnel("edge-a", "a-w")] = Probe(HealthState.Up);
        Decide(cloud, 1).Serving["edge-a"].Should().Be("a-gw");

        _probes[HealthTargets.Tunnel("edge-a", "a-gw")] = Probe(HealthState.Down);
        _probes[HealthTargets.Tunnel("edge-a", "a-w")] = Probe(HealthState.Down, null);
        Decide(cloud, 2).Serving["edge-a"].Should().Be("a-w", "both probes ran through a-gw's peer: try the standby at once");
        Decide(cloud, 3).Serving["edge-a"].Should().Be("a-w", "the standby gets its rotation period to answer");
        Decide(cloud, 2 + HealthDecider.RotateAfter.TotalSeconds).Serving["edge-a"].Should().Be("a-gw", "nothing answered through a-w either");
    }

    [Fact]
    public void A_remote_gateway_does_not_rotate_before_the_domain_was_ever_reached_nor_away_from_a_path_that_answers_again()
    {
        var cloud = new HealthView("cloud-gw", Cloud, [EdgeA]);
        _probes[HealthTargets.Tunnel("edge-a", "a-gw")] = Probe(HealthState.Down);
        _probes[HealthTargets.Tunnel("edge-a", "a-w")] = Probe(HealthState.Down);
        Decide(cloud, 1).Serving["edge-a"].Should().Be("a-gw", "at start-up the tunnel is simply not up yet");
        Decide(cloud, 5).Serving["edge-a"].Should().Be("a-gw");

        _probes[HealthTargets.Tunnel("edge-a", "a-gw")] = Probe(HealthState.Up);
        Decide(cloud, 6);
        _probes[HealthTargets.Tunnel("edge-a", "a-gw")] = Probe(HealthState.Down);
        Decide(cloud, 7).Serving["edge-a"].Should().Be("a-w");
        _probes[HealthTargets.Tunnel("edge-a", "a-w")] = Probe(HealthState.Down, replies: 4);

        Decide(cloud, 7 + (2 * HealthDecider.RotateAfter.TotalSeconds)).Serving["edge-a"].Should().Be("a-w",
            "a-w answers again; its detector is only in its hold-down");
    }

    [Fact]
    public void A_remote_gateway_follows_the_newest_claim_and_keeps_an_up_choice_without_claims()
    {
        var cloud = new HealthView("cloud-gw", Cloud, [EdgeA]);
        _probes[HealthTargets.Tunnel("edge-a", "a-gw")] = Probe(HealthState.Up, new GatewayClaim(true, false, 1, 1));
        _probes[HealthTargets.Tunnel("edge-a", "a-w")] = Probe(HealthState.Up, new GatewayClaim(true, false, 2, 1));

        Decide(cloud, 1).Serving["edge-a"].Should().Be("a-w", "epoch 2 is newer than 1");

        _probes[HealthTargets.Tunnel("edge-a", "a-w")] = Probe(HealthState.Up);
        _probes[HealthTargets.Tunnel("edge-a", "a-gw")] = Probe(HealthState.Up);
        Decide(cloud, 2).Serving["edge-a"].Should().Be("a-w", "no claim: the current choice stays while it is Up");
    }

    [Fact]
    public void At_start_the_primary_sends_through_itself_and_the_standby_through_the_primary()
    {
        new HealthDecider().Decide(new HealthView("a-gw", EdgeA, [Cloud]), _ => null, _ => null, TimeSpan.Zero).Serving["edge-a"].Should().Be("a-gw");
        new HealthDecider().Decide(new HealthView("a-w", EdgeA, [Cloud]), _ => null, _ => null, TimeSpan.Zero).Serving["edge-a"].Should().Be("a-gw");
    }

    [Fact]
    public void A_standby_takes_over_when_the_primary_is_down_on_the_lan_and_a_member_vouches()
    {
        var standby = new HealthView("a-w", EdgeA, [Cloud]);
        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Up, new GatewayClaim(true, false, 1, 1));
        _probes[HealthTargets.Tunnel("cloud", "cloud-gw")] = Probe(HealthState.Up);
        Decide(standby, 1).Claim.Serving.Should().BeFalse();

        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Down, new GatewayClaim(true, false, 1, 1));
        var decision = Decide(standby, 2);

        decision.Claim.Should().Match<GatewayClaim>(c => c.Serving && c.Epoch == 2);
        decision.Serving["edge-a"].Should().Be("a-w");
    }

    [Theory]
    [InlineData(LinkCarrier.Down, false)]
    [InlineData(LinkCarrier.Up, true)]
    [InlineData(LinkCarrier.Unknown, true)]
    public void A_standby_whose_lan_carrier_is_down_does_not_take_over_although_the_primary_looks_down_and_a_member_was_just_heard(
        LinkCarrier carrier, bool takesOver)
    {
        // The member's last request came 100 ms ago: within the witness window, as right after a cut of this node's own link.
        var standby = new HealthView("a-w", EdgeA, [Cloud]);
        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Up, new GatewayClaim(true, false, 1, 1));
        _probes[HealthTargets.Tunnel("cloud", "cloud-gw")] = Probe(HealthState.Up);
        Decide(standby, 1, carrier);

        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Down, new GatewayClaim(true, false, 1, 1));
        var decision = Decide(standby, 2, carrier);
        var later = Decide(standby, 10, carrier);

        decision.Claim.Serving.Should().Be(takesOver);
        later.Claim.Serving.Should().Be(takesOver);
        later.Serving["edge-a"].Should().Be(takesOver ? "a-w" : "a-gw");
    }

    [Fact]
    public void A_serving_gateway_whose_lan_carrier_is_down_yields_to_its_fit_standby_and_steps_down_when_the_standby_claims()
    {
        var primary = new HealthView("a-gw", EdgeA, [Cloud]);
        _probes[HealthTargets.Lan("a-w")] = Probe(HealthState.Up, new GatewayClaim(false, false, 0, 1));
        _probes[HealthTargets.Tunnel("cloud", "cloud-gw")] = Probe(HealthState.Up);
        Decide(primary, 1, LinkCarrier.Up).Claim.Should().Match<GatewayClaim>(c => c.Serving && !c.Yielding && c.Epoch == 1);

        var justLost = Decide(primary, 2, LinkCarrier.Down);
        var yielding = Decide(primary, 2.5, LinkCarrier.Down);
        _probes[HealthTargets.Lan("a-w")] = Probe(HealthState.Up, new GatewayClaim(true, false, 2, 1));
        var stepped = Decide(primary, 3, LinkCarrier.Down);

        justLost.Claim.Should().Match<GatewayClaim>(c => c.Serving && !c.Yielding, "a serving gateway's carrier counts after 500 ms down");
        yielding.Claim.Should().Match<GatewayClaim>(c => c.Serving && c.Yielding && c.Epoch == 1, "it keeps the domain until a-w claims");
        yielding.Serving["edge-a"].Should().Be("a-gw");
        stepped.Claim.Serving.Should().BeFalse();
        stepped.Serving["edge-a"].Should().Be("a-w");
    }

    [Fact]
    public void A_carrier_blip_on_the_serving_gateway_shorter_than_the_hold_moves_nothing_and_the_hold_starts_again_after_it()
    {
        var primary = new HealthView("a-gw", EdgeA, [Cloud]);
        _probes[HealthTargets.Lan("a-w")] = Probe(HealthState.Up, new GatewayClaim(false, false, 0, 1));
        _probes[HealthTargets.Tunnel("cloud", "cloud-gw")] = Probe(HealthState.Up);
        Decide(primary, 1, LinkCarrier.Up);

        var claims = new[] { (2.0, LinkCarrier.Down), (2.45, LinkCarrier.Down), (2.5, LinkCarrier.Up), (3.0, LinkCarrier.Down), (3.45, LinkCarrier.Down) }
            .Select(step => Decide(primary, step.Item1, step.Item2).Claim).ToList();
        var cut = Decide(primary, 3.5, LinkCarrier.Down);

        claims.Should().OnlyContain(c => c.Serving && !c.Yielding && c.Epoch == 1, "two blips of 450 ms each, the second timed from its own start");
        cut.Claim.Yielding.Should().BeTrue("500 ms down is a cut");
    }

    [Fact]
    public void A_standby_whose_own_lan_no_witness_vouches_for_does_not_take_over()
    {
        var standby = new HealthView("a-w", EdgeA, [Cloud]);
        _probes[HealthTargets.Lan("a-gw")] = Probe(HealthState.Down, new GatewayClaim(true, false, 1, 1));

        var decision = new HealthDecider().Decide(standby, name => _probes.GetValueOrDefault(name), _ => null, TimeSpan.FromSeconds(5));

        decision.Claim.Serving.Should().BeFalse("the member a-m was not heard: this node's own LAN may be what failed");
        decision.Serving["edge-a"].Should().Be("a-gw");
    }

    [Fact]
    public void A_restarted_gateway_carries_on_from_its_probe_stand_ins_claim_while_its_own_probes_come_up()
    {
        // a-w had taken the domain over (epoch 2) when its agent restarted; its stand-in answered with that claim.
        var standby = new HealthView("a-w", EdgeA, [Cloud]);

        var restored = new HealthDecider(restored: new GatewayClaim(true, false, 2, 1)).Decide(standby, _ => null, _ => null, TimeSpan.Zero);
        var fresh = new HealthDecider().Decide(standby, _ => null, _ => null, TimeSpan.Zero);

        restored.Claim.Should().Match<GatewayClaim>(c => c.Serving && !c.Yielding && c.Epoch == 2, "nothing probed yet says otherwise (its uplink is what it reaches now)");
        restored.Serving["edge-a"].Should().Be("a-w");
        fresh.Serving["edge-a"].Should().Be("a-gw", "without the stand-in's claim the restart began from standby");
    }
}
