using static Raven.Agent.Tests.Health.DomainSimulation;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// The scenario table of docs/health-probes.md §5, row by row: the failure, then what each gateway claims and where
/// each member and the remote gateway send the domain's traffic once every node has decided.
/// </summary>
public sealed class FailoverScenarioTests
{
    [Fact]
    public void Cold_start_settles_on_the_primary_and_nothing_else_claims()
    {
        var simulation = new DomainSimulation();
        simulation.Settle();

        Outcome(simulation).Should().Be("hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1");
        simulation.Events.Should().NotContain(e => e.StartsWith("hz-m", StringComparison.Ordinal) && !e.EndsWith(Primary, StringComparison.Ordinal))
            .And.NotContain(e => e.StartsWith(Remote, StringComparison.Ordinal) && !e.EndsWith(Primary, StringComparison.Ordinal),
                "nobody routes to the standby even while both briefly claim at startup");
    }

    public static TheoryData<string, Action<DomainSimulation>, string, string[]> Scenarios() => new()
    {
        { "steady state", _ => { }, "hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1", [] },
        { "primary dead (node gone: LAN and WAN silent)", s => s.Dead.Add(Primary),
            "hz-2 serving 2 | hz-m1 hz-2 | hz-m2 hz-2 | cloud-gw hz-2",
            ["hz-2 TakeOver 2", "hz-m1 -> hz-2", "hz-m2 -> hz-2", "cloud-gw -> hz-2"] },
        { "primary WAN cut, its LAN fine (node Ready, lease renewed)", s => s.WanCut.Add(Primary),
            "hz-1 standby | hz-2 serving 2 | hz-m1 hz-2 | hz-m2 hz-2 | cloud-gw hz-2",
            ["cloud-gw -> hz-2", "hz-1 Yield 1", "hz-2 TakeOver 2", "hz-1 StepDown 1", "hz-m1 -> hz-2", "hz-m2 -> hz-2"] },
        { "a member's own link down", s => s.LanCut.Add(Member1),
            "hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1", [] },
        { "only the path member 1 -> primary broken: the member moves itself, nothing else", s => s.BrokenLanPaths.Add((Member1, Primary)),
            "hz-1 serving 1 | hz-2 standby | hz-m1 hz-2 | hz-m2 hz-1 | cloud-gw hz-1", ["hz-m1 -> hz-2"] },
        { "standby dead", s => s.Dead.Add(Standby),
            "hz-1 serving 1 | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1", [] },
        { "both gateways dead: nothing to move to, nothing moves", s => { s.Dead.Add(Primary); s.Dead.Add(Standby); },
            "hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1", [] },
        { "standby's own LAN cut: it sees the primary down but must not take over", s => s.LanCut.Add(Standby),
            "hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1", [] },
        { "primary's LAN cut, its WAN fine: the standby serves, the remote follows the newer epoch", s => s.LanCut.Add(Primary),
            "hz-1 serving 1 | hz-2 serving 2 | hz-m1 hz-2 | hz-m2 hz-2 | cloud-gw hz-2",
            ["hz-2 TakeOver 2", "hz-m1 -> hz-2", "hz-m2 -> hz-2", "cloud-gw -> hz-2"] },
        { "the remote gateway's own WAN cut: nothing moves", s => s.WanCut.Add(Remote),
            "hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1", [] },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario(string what, Action<DomainSimulation> failure, string expected, string[] events)
    {
        var simulation = Settled();

        failure(simulation);
        simulation.Settle();

        Outcome(simulation).Should().Be(expected, what);
        simulation.Events.Should().Equal(events, what);
    }

    [Fact]
    public void A_member_whose_own_link_flaps_never_moves_the_domain()
    {
        var simulation = Settled();

        for (int flap = 0; flap < 5; flap++)
        {
            simulation.LanCut.Add(Member1);
            simulation.Settle();
            simulation.LanCut.Remove(Member1);
            simulation.Settle();
        }

        simulation.Events.Should().BeEmpty();
        Outcome(simulation).Should().Be("hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1");
    }

    [Fact]
    public void A_recovered_primary_takes_back_only_after_hold_down_and_the_standby_yielding_in_that_order()
    {
        var simulation = Settled();
        simulation.Dead.Add(Primary);
        simulation.Settle();
        simulation.Events.Clear();

        simulation.Revive(Primary);
        simulation.Settle();
        Outcome(simulation).Should().Be("hz-1 standby | hz-2 serving 2 | hz-m1 hz-2 | hz-m2 hz-2 | cloud-gw hz-2",
            "while every detector still holds hz-1 down, nothing goes back");
        simulation.Events.Should().BeEmpty();

        simulation.HeldDown.Clear();
        simulation.Settle();

        Outcome(simulation).Should().Be("hz-1 serving 3 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1");
        simulation.Events.Should().Equal("hz-2 Yield 2", "hz-1 TakeOver 3", "hz-2 StepDown 2", "hz-m1 -> hz-1", "hz-m2 -> hz-1", "cloud-gw -> hz-1");
    }

    [Fact]
    public void A_primary_whose_WAN_comes_back_takes_back_only_after_its_tunnel_probes_pass_hold_down()
    {
        var simulation = Settled();
        simulation.WanCut.Add(Primary);
        simulation.Settle();
        simulation.Events.Clear();

        simulation.WanCut.Remove(Primary);
        simulation.HeldDown.Add((Primary, Remote));
        simulation.HeldDown.Add((Remote, Primary));
        simulation.Settle();
        simulation.Events.Should().BeEmpty("hz-1's uplink and the remote's view of hz-1 are still in hold-down");

        simulation.HeldDown.Clear();
        simulation.Settle();

        Outcome(simulation).Should().Be("hz-1 serving 3 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1");
        simulation.Events.Should().Equal("hz-2 Yield 2", "hz-1 TakeOver 3", "hz-2 StepDown 2", "hz-m1 -> hz-1", "hz-m2 -> hz-1", "cloud-gw -> hz-1");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_remote_domain_dying_moves_nothing_even_when_the_standby_notices_rounds_later(int lagRounds)
    {
        var simulation = Settled();

        simulation.Dead.Add(Remote);
        simulation.NotYetDown.Add((Standby, Remote));
        for (int round = 0; round < lagRounds; round++)
        {
            simulation.Step();
        }

        simulation.NotYetDown.Clear();
        simulation.Settle();

        simulation.Events.Should().BeEmpty("hz-1's uplink deficit lasted {0} × 100 ms, under the 250 ms confirm period", lagRounds);
        Outcome(simulation).Should().Be("hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1");
    }

    [Fact]
    public void A_stretch_of_lost_probes_to_the_serving_gateway_moves_the_remote_back_as_soon_as_it_answers_not_after_hold_down()
    {
        // The remote's probes to hz-1 go unanswered for a while (its responder stalled during an agent restart, say)
        // while hz-1 keeps serving: the domain's replies still leave through hz-1, so the remote must come back to it
        // the moment it answers again, claiming — not 3 s later, when its detector's hold-down ends.
        var simulation = Settled();
        simulation.Unanswered.Add((Remote, Primary));
        simulation.Settle();
        simulation.Events.Should().Equal("cloud-gw -> hz-2");

        simulation.Unanswered.Clear();
        simulation.HeldDown.Add((Remote, Primary));
        simulation.Step();

        simulation.Events.Should().Equal("cloud-gw -> hz-2", "cloud-gw -> hz-1");
        Outcome(simulation).Should().Be("hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1");
    }

    [Fact]
    public void At_startup_the_remote_stays_on_the_serving_primary_whose_probes_are_held_down_while_the_standbys_are_up()
    {
        // The primary's first probes were lost while its tunnel came up, so its detector sits out a hold-down; the
        // standby's came through. The primary claims: the remote never sends the domain to the standby.
        var simulation = new DomainSimulation();
        simulation.Choices[Remote] = Primary; // before any probe is answered: the primary (ChoiceReason.NothingUpPrimary)
        simulation.HeldDown.Add((Remote, Primary));
        simulation.Settle();

        simulation.Events.Should().NotContain(e => e.StartsWith(Remote, StringComparison.Ordinal));
        Outcome(simulation).Should().Be("hz-1 serving 1 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1");
    }

    [Fact]
    public void The_standby_coming_back_first_serves_and_hands_back_when_the_primary_follows()
    {
        var simulation = Settled();
        simulation.Dead.Add(Primary);
        simulation.Dead.Add(Standby);
        simulation.Settle();

        simulation.Revive(Standby);
        simulation.HeldDown.Clear();
        simulation.Settle();
        Outcome(simulation).Should().Be("hz-2 serving 2 | hz-m1 hz-2 | hz-m2 hz-2 | cloud-gw hz-2");

        simulation.Revive(Primary);
        simulation.HeldDown.Clear();
        simulation.Settle();
        Outcome(simulation).Should().Be("hz-1 serving 3 | hz-2 standby | hz-m1 hz-1 | hz-m2 hz-1 | cloud-gw hz-1");
    }

    private static string Outcome(DomainSimulation simulation) =>
        string.Join(" | ", Gateways.Where(g => !simulation.Dead.Contains(g)).Select(g => $"{g} {simulation.Describe(g)}")
            .Concat(Members.Append(Remote).Select(n => $"{n} {simulation.Choices[n]}")));
}
