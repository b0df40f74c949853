using Raven.Agent.Health.Detection;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// The detector driven by scripts of replies (R) and misses (M), one event per 100 ms probe interval, on a fake
/// clock: no sleeps, no wall time.
/// </summary>
public sealed class FailureDetectorTests
{
    private static readonly DetectorOptions Options = new() { HoldDown = TimeSpan.FromSeconds(1) };

    [Theory]
    [InlineData("RRR", HealthState.Up, "Unknown->Up:Rise")]
    [InlineData("RR", HealthState.Unknown, "")]
    [InlineData("MMM", HealthState.Down, "Unknown->Down:MissedBeforeUp")]
    [InlineData("RRMRRMRRM", HealthState.Unknown, "")]
    [InlineData("RRRMMRMMR", HealthState.Up, "Unknown->Up:Rise")]
    [InlineData("RRRMMM", HealthState.Down, "Unknown->Up:Rise Up->Down:Fall")]
    [InlineData("RRRMMMRRRRR", HealthState.Down, "Unknown->Up:Rise Up->Down:Fall")]
    public void Scripts_give_states_and_transitions(string script, HealthState final, string transitions)
    {
        var (detector, seen) = Run(script);

        detector.State.Should().Be(final);
        string.Join(' ', seen.Select(t => $"{t.From}->{t.To}:{t.Reason}")).Should().Be(transitions);
    }

    [Fact]
    public void Up_to_down_reports_the_misses_that_decided_it()
    {
        var (_, seen) = Run("RRRRRMMM");

        var fall = seen.Last();
        fall.Reason.Should().Be(TransitionReason.Fall);
        fall.ConsecutiveMisses.Should().Be(3);
        fall.At.Should().Be(TimeSpan.FromMilliseconds(700));
        fall.ToString().Should().Be("probe target t: Up -> Down (Fall: 3 probes missed in a row)");
    }

    [Fact]
    public void Down_comes_back_Up_only_after_answering_every_probe_for_the_hold_down()
    {
        // Hold-down 1 s at 100 ms: at least 10 replies and 1 s between the first and the last.
        Options.HoldDownReplies.Should().Be(10);
        var (detector, seen) = Run("RRRMMM" + "RRRRRRRRRR");
        detector.State.Should().Be(HealthState.Down, "ten replies span only 900 ms");

        var back = Feed(detector, 'R', TimeSpan.FromMilliseconds(1600));
        back.Should().NotBeNull();
        back!.Reason.Should().Be(TransitionReason.HoldDownPassed);
        back.ConsecutiveReplies.Should().Be(11);
        back.HealthyFor.Should().Be(TimeSpan.FromSeconds(1));
        seen.Should().HaveCount(2);
    }

    [Fact]
    public void A_single_miss_during_hold_down_starts_it_again()
    {
        var (detector, _) = Run("RRRMMM" + "RRRRRRRRM" + "RRRRRRRRRR");
        detector.State.Should().Be(HealthState.Down, "the miss restarted the hold-down, and 10 replies span 900 ms");

        Feed(detector, 'R', TimeSpan.FromMilliseconds(2500))!.Reason.Should().Be(TransitionReason.HoldDownPassed);
    }

    [Fact]
    public void Hold_down_needs_the_count_too_when_replies_come_faster_than_the_interval()
    {
        var detector = new FailureDetector("t", Options);
        foreach (var step in "RRRMMM")
        {
            Feed(detector, step, TimeSpan.Zero);
        }

        // Two replies 1 s apart: the time is there, the count is not.
        Feed(detector, 'R', TimeSpan.FromSeconds(1)).Should().BeNull();
        Feed(detector, 'R', TimeSpan.FromSeconds(2)).Should().BeNull();
        detector.State.Should().Be(HealthState.Down);
    }

    [Fact]
    public void A_target_that_never_settles_is_Down_after_the_unknown_limit()
    {
        Options.UnknownLimit.Should().Be(TimeSpan.FromSeconds(1));
        var (detector, seen) = Run("RMRMRMRMRMRM");

        detector.State.Should().Be(HealthState.Down);
        seen.Single().Reason.Should().Be(TransitionReason.NeverSettled);
        seen.Single().At.Should().Be(TimeSpan.FromMilliseconds(1000));
    }

    [Fact]
    public void Defaults_detect_a_dead_path_within_500_ms_and_hold_down_for_3_s()
    {
        var defaults = new DetectorOptions();

        defaults.WorstCaseDetection.Should().Be(TimeSpan.FromMilliseconds(500));
        defaults.HoldDownReplies.Should().Be(30);
    }

    [Theory]
    [InlineData(nameof(DetectorOptions.Interval))]
    [InlineData(nameof(DetectorOptions.ReplyTimeout))]
    [InlineData(nameof(DetectorOptions.UpAfterReplies))]
    [InlineData(nameof(DetectorOptions.DownAfterMisses))]
    [InlineData(nameof(DetectorOptions.HoldDown))]
    [InlineData(nameof(DetectorOptions.LossWindow))]
    public void Invalid_options_name_the_field(string field)
    {
        var bad = field switch
        {
            nameof(DetectorOptions.Interval) => new DetectorOptions { Interval = TimeSpan.FromMilliseconds(1) },
            nameof(DetectorOptions.ReplyTimeout) => new DetectorOptions { ReplyTimeout = TimeSpan.Zero },
            nameof(DetectorOptions.UpAfterReplies) => new DetectorOptions { UpAfterReplies = 0 },
            nameof(DetectorOptions.DownAfterMisses) => new DetectorOptions { DownAfterMisses = 0 },
            nameof(DetectorOptions.HoldDown) => new DetectorOptions { HoldDown = TimeSpan.FromSeconds(-1) },
            _ => new DetectorOptions { LossWindow = 2 },
        };

        var act = () => new FailureDetector("t", bad);
        act.Should().Throw<ArgumentException>().WithMessage($"*{field}*").Which.ParamName.Should().Be(field);
    }

    private static (FailureDetector Detector, List<HealthTransition> Seen) Run(string script)
    {
        var detector = new FailureDetector("t", Options);
        var seen = new List<HealthTransition>();
        for (int i = 0; i < script.Length; i++)
        {
            if (Feed(detector, script[i], TimeSpan.FromMilliseconds(100 * i)) is { } transition)
            {
                seen.Add(transition);
            }
        }

        return (detector, seen);
    }

    private static HealthTransition? Feed(FailureDetector detector, char step, TimeSpan at) =>
        step == 'R' ? detector.OnReply(at) : detector.OnMiss(at);
}
