using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Paths;

namespace Raven.Agent.Tests.Health;

/// <summary>Path cost and the hysteresis of the path chooser, as tables over a fake clock.</summary>
public sealed class PathChooserTests
{
    private static readonly PathCostOptions Options = new();

    [Theory]
    [InlineData(HealthState.Up, 37.4, 0.0, 37.4)]
    [InlineData(HealthState.Up, 37.4, 0.02, 57.4)]
    [InlineData(HealthState.Up, 54.7, 1.0, 1054.7)]
    [InlineData(HealthState.Down, 10.0, 0.0, null)]
    [InlineData(HealthState.Unknown, 10.0, 0.0, null)]
    public void Cost_is_rtt_plus_loss_times_penalty_and_only_for_Up_paths(HealthState state, double rttMs, double loss, double? cost)
    {
        var path = new PathMeasurement("p", state, TimeSpan.FromMilliseconds(rttMs), loss);

        var actual = PathCost.Milliseconds(path, Options);

        if (cost is null)
        {
            actual.Should().BeNull();
        }
        else
        {
            actual.Should().BeApproximately(cost.Value, 1e-9);
        }
    }

    [Fact]
    public void A_path_without_an_rtt_sample_is_not_usable() =>
        PathCost.Milliseconds(new PathMeasurement("p", HealthState.Up, null, 0), Options).Should().BeNull();

    [Theory]
    [InlineData(20.0, 5.0)]
    [InlineData(50.0, 5.0)]
    [InlineData(80.0, 8.0)]
    [InlineData(300.0, 30.0)]
    public void The_margin_is_the_larger_of_absolute_and_relative(double current, double margin) =>
        PathCost.MarginMilliseconds(current, Options).Should().BeApproximately(margin, 1e-9);

    [Fact]
    public void The_first_evaluation_takes_the_cheapest_usable_path_at_once()
    {
        var chooser = new PathChooser();

        var decision = chooser.Evaluate([Up("relay", 77), Up("direct", 37), Path("other", HealthState.Down, 1)], At(0));

        decision.Should().Match<PathDecision>(d => d.Chosen == "direct" && d.Changed && d.Reason == PathDecisionReason.Initial);
    }

    public static TheoryData<string, (int AtMs, double Direct, double Relay)[], string, PathDecisionReason> Hysteresis() => new()
    {
        { "better by the margin for the whole hold: switch",
            [(0, 100, 50), (1000, 100, 50), (5000, 100, 50)], "relay", PathDecisionReason.Cheaper },
        { "better by the margin but not yet for the hold: stay",
            [(0, 100, 50), (4999, 100, 50)], "direct", PathDecisionReason.Holding },
        { "better, but by less than the margin (10 % of 100 ms): never switch",
            [(0, 100, 91), (5000, 100, 91), (60000, 100, 91)], "direct", PathDecisionReason.Kept },
        { "just past the margin: switch after the hold",
            [(0, 100, 89.9), (5000, 100, 89.9)], "relay", PathDecisionReason.Cheaper },
        { "an interruption restarts the hold",
            [(0, 100, 50), (3000, 100, 99), (4000, 100, 50), (8000, 100, 50)], "direct", PathDecisionReason.Holding },
        { "... and the full hold after the interruption switches",
            [(0, 100, 50), (3000, 100, 99), (4000, 100, 50), (9000, 100, 50)], "relay", PathDecisionReason.Cheaper },
        { "small paths: the absolute 5 ms margin rules",
            [(0, 20, 16), (6000, 20, 16)], "direct", PathDecisionReason.Kept },
        { "equal costs keep the current path",
            [(0, 40, 40), (6000, 40, 40)], "direct", PathDecisionReason.Kept },
    };

    [Theory]
    [MemberData(nameof(Hysteresis))]
    public void Switches_only_for_a_margin_held_long_enough(string what, (int AtMs, double Direct, double Relay)[] steps, string expected, PathDecisionReason reason)
    {
        var chooser = new PathChooser();
        chooser.Evaluate([Up("direct", 1), Up("relay", 100)], At(-1)).Chosen.Should().Be("direct");

        PathDecision? last = null;
        foreach (var (at, direct, relay) in steps)
        {
            last = chooser.Evaluate([Up("direct", direct), Up("relay", relay)], At(at));
        }

        chooser.Current.Should().Be(expected, what);
        last!.Reason.Should().Be(reason, what);
    }

    [Fact]
    public void An_unusable_current_path_is_left_at_once_without_hold()
    {
        var chooser = new PathChooser();
        chooser.Evaluate([Up("direct", 37), Up("relay", 77)], At(0));

        var decision = chooser.Evaluate([Path("direct", HealthState.Down, 37), Up("relay", 77)], At(100));

        decision.Should().Match<PathDecision>(d => d.Chosen == "relay" && d.Changed && d.Reason == PathDecisionReason.CurrentUnusable);
    }

    [Fact]
    public void With_no_usable_path_the_current_one_stays()
    {
        var chooser = new PathChooser();
        chooser.Evaluate([Up("direct", 37)], At(0));

        var decision = chooser.Evaluate([Path("direct", HealthState.Down, 37), Path("relay", HealthState.Unknown, 77)], At(100));

        decision.Should().Match<PathDecision>(d => d.Chosen == "direct" && !d.Changed && d.Reason == PathDecisionReason.NoUsablePath);
    }

    [Fact]
    public void Ties_go_to_the_earlier_path_in_the_list()
    {
        new PathChooser().Evaluate([Up("direct", 40), Up("relay", 40)], At(0)).Chosen.Should().Be("direct");
        new PathChooser().Evaluate([Up("relay", 40), Up("direct", 40)], At(0)).Chosen.Should().Be("relay");
    }

    [Fact]
    public void The_decision_line_carries_the_numbers()
    {
        var chooser = new PathChooser();
        chooser.Evaluate([Up("relay", 77), Up("direct", 80)], At(0));
        chooser.Evaluate([Up("relay", 77), Up("direct", 37)], At(1000));

        var decision = chooser.Evaluate([Up("relay", 77), Up("direct", 37)], At(6000));

        decision.Should().Match<PathDecision>(d => d.Previous == "relay" && d.PreviousCost == 77 && d.Chosen == "direct" && d.ChosenCost == 37
            && d.CandidateFor == TimeSpan.FromSeconds(5));
        decision.Margin.Should().BeApproximately(7.7, 1e-9, "10 % of the relay's 77 ms");
        decision.ToString().Should().Be("switched relay -> direct: cost 77.0 -> 37.0 ms, cheaper by more than the margin (7.7 ms) for 5000 ms");
    }

    [Fact]
    public void Holding_and_keeping_lines_name_the_challenger_its_cost_and_the_margin()
    {
        var chooser = new PathChooser();
        chooser.Evaluate([Up("relay", 54.7), Up("direct", 80)], At(0));

        chooser.Evaluate([Up("relay", 54.7), Up("direct", 37.4)], At(1000)).ToString()
            .Should().Be("staying on relay (cost 54.7 ms): direct cost 37.4 ms, cheaper by more than the margin (5.5 ms) for 0 ms so far");
        chooser.Evaluate([Up("relay", 54.7), Up("direct", 52)], At(2000)).ToString()
            .Should().Be("staying on relay (cost 54.7 ms): direct cost 52.0 ms is not cheaper by the margin (5.5 ms)");
    }

    [Fact]
    public void Leaving_an_unusable_path_says_why_it_is_unusable()
    {
        var chooser = new PathChooser();
        chooser.Evaluate([Up("direct", 37), Up("relay", 77)], At(0));

        var down = chooser.Evaluate([Path("direct", HealthState.Down, 37), Up("relay", 77)], At(100));
        var gone = chooser.Evaluate([Up("direct", 37)], At(200));

        down.ToString().Should().Be("switched direct -> relay (cost 77.0 ms): direct is Down");
        down.PreviousCost.Should().BeNull();
        gone.ToString().Should().Be("switched relay -> direct (cost 37.0 ms): relay is no longer measured");
    }

    [Fact]
    public void Loss_moves_traffic_off_a_lossy_short_path()
    {
        var chooser = new PathChooser();
        chooser.Evaluate([Up("direct", 37), Up("relay", 55)], At(0));

        chooser.Evaluate([Up("direct", 37, loss: 0.05), Up("relay", 55)], At(1000));
        var decision = chooser.Evaluate([Up("direct", 37, loss: 0.05), Up("relay", 55)], At(6000));

        decision.Chosen.Should().Be("relay", "37 ms + 5 % × 1000 ms = 87 ms against 55 ms");
    }

    [Fact]
    public void Options_are_validated_with_the_field_named()
    {
        var act = () => new PathChooser(new PathCostOptions { MarginRelative = 1.5 });
        act.Should().Throw<ArgumentException>().WithMessage("*MarginRelative*");
    }

    private static PathMeasurement Up(string id, double rttMs, double loss = 0) => Path(id, HealthState.Up, rttMs, loss);

    private static PathMeasurement Path(string id, HealthState state, double rttMs, double loss = 0) =>
        new(id, state, TimeSpan.FromMilliseconds(rttMs), loss);

    private static TimeSpan At(int ms) => TimeSpan.FromMilliseconds(ms);
}
