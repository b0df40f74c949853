using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Paths;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Planning;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// The stages of a punched path over a fake clock: relay measured first, trial, direct when cheaper by the margin
/// for the hold, back to the relay when the direct path fails or becomes dearer, retries with a growing wait.
/// </summary>
public sealed class PunchTrackerTests
{
    private const string Domain = "edge-b";
    private static readonly PunchOptions Options = new()
    {
        Settle = TimeSpan.FromSeconds(3),
        TrialTimeout = TimeSpan.FromSeconds(10),
        RetryAfter = TimeSpan.FromSeconds(30),
        MaxRetryAfter = TimeSpan.FromSeconds(60),
        Cost = new PathCostOptions { Hold = TimeSpan.FromSeconds(5) },
    };

    private readonly PunchTracker _tracker = new(Options);
    private readonly List<string> _log = [];
    private ProbeStatistics? _relay;
    private ProbeStatistics? _direct;

    /// <summary>What the remote end's requests say; ready unless a test says otherwise, so the chooser's rules show alone.</summary>
    private ProbeFlags? _remote = ProbeFlags.PunchReady;

    [Fact]
    public void A_trial_starts_only_once_the_relay_has_been_measured_up_for_the_settle_time()
    {
        At(0).Should().Be(PunchStage.Relayed, "nothing measured yet");
        _relay = Up(54.7);
        At(1).Should().Be(PunchStage.Relayed);
        At(3.9).Should().Be(PunchStage.Relayed);
        At(4).Should().Be(PunchStage.Trial);
        _log.Should().ContainSingle().Which.Should().Contain("relay cost 54.7 ms");
    }

    [Fact]
    public void A_cheaper_direct_path_is_taken_after_the_hold_and_the_decision_logged_with_its_numbers()
    {
        ToTrial();
        _direct = Up(37.4);
        At(5).Should().Be(PunchStage.Trial, "holding");
        At(9.9).Should().Be(PunchStage.Trial);
        At(10).Should().Be(PunchStage.Direct);
        _log.Last().Should().Be("domain edge-b: Trial -> Direct: switched relay -> direct: cost 54.7 -> 37.4 ms, "
            + "cheaper by more than the margin (5.5 ms) for 5000 ms; the remote end is ready too", "one line with the old and new cost, the margin and how long it held");
    }

    [Fact]
    public void The_relay_numbers_kept_at_the_trial_are_offered_until_the_pair_is_relayed_again()
    {
        _tracker.KeptRelays().Should().BeEmpty();
        ToDirect();
        _tracker.KeptRelays().Should().ContainKey(Domain).WhoseValue.SmoothedRtt.Should().Be(TimeSpan.FromMilliseconds(54.7));

        _direct = Down();
        At(11).Should().Be(PunchStage.Relayed);
        _tracker.KeptRelays().Should().BeEmpty("the relay is measured live again");
    }

    [Fact]
    public void A_direct_path_that_never_answers_falls_back_after_the_trial_timeout_and_retries_later()
    {
        ToTrial();
        _direct = Down();
        At(13.9).Should().Be(PunchStage.Trial);
        At(14).Should().Be(PunchStage.Relayed);
        At(30).Should().Be(PunchStage.Relayed, "waiting the retry");
        At(44).Should().Be(PunchStage.Trial, "retried 30 s after the failure");
        At(54).Should().Be(PunchStage.Relayed);
        At(100).Should().Be(PunchStage.Relayed, "the wait doubled to 60 s");
        At(114).Should().Be(PunchStage.Trial);
    }

    [Fact]
    public void A_direct_path_no_cheaper_than_the_relay_by_the_margin_is_not_taken()
    {
        ToTrial();
        _direct = Up(52);
        At(8).Should().Be(PunchStage.Trial);
        At(14).Should().Be(PunchStage.Relayed);
        _log.Last().Should().Contain("not cheaper");
    }

    [Fact]
    public void A_direct_path_that_goes_down_falls_back_at_once()
    {
        ToDirect();
        _direct = Down();
        At(11).Should().Be(PunchStage.Relayed);
        _log.Last().Should().Contain("relay");
    }

    [Fact]
    public void A_direct_path_that_becomes_dearer_falls_back_only_after_the_hold()
    {
        ToDirect();
        _direct = Up(80);
        At(11).Should().Be(PunchStage.Direct);
        At(15.9).Should().Be(PunchStage.Direct);
        At(16).Should().Be(PunchStage.Relayed);
    }

    [Fact]
    public void A_short_flap_of_the_direct_path_cost_does_not_switch()
    {
        ToDirect();
        _direct = Up(80);
        At(11).Should().Be(PunchStage.Direct);
        _direct = Up(37);
        At(12).Should().Be(PunchStage.Direct);
        _direct = Up(80);
        At(16).Should().Be(PunchStage.Direct, "the hold restarted");
    }

    [Fact]
    public void A_domain_that_is_no_longer_a_candidate_is_forgotten()
    {
        ToDirect();
        _tracker.Decide([], _ => _relay, _ => _direct, _ => _remote, TimeSpan.FromSeconds(11), _log).Should().BeEmpty();
        At(12).Should().Be(PunchStage.Relayed, "it starts over");
    }

    [Fact]
    public void A_ready_end_says_so_and_goes_direct_only_when_the_remote_end_says_ready_or_direct_too()
    {
        _remote = null;
        ToTrial();
        _direct = Up(37.4);
        At(5);
        _tracker.Advertised()[Domain].Should().Be(ProbeFlags.None, "still holding: the relay is the chosen path");

        At(10).Should().Be(PunchStage.Trial, "the remote end has not said it is ready");
        _tracker.Advertised()[Domain].Should().Be(ProbeFlags.PunchReady);
        _remote = ProbeFlags.None;
        At(10.5).Should().Be(PunchStage.Trial);
        _remote = ProbeFlags.PunchDirect;
        At(10.6).Should().Be(PunchStage.Direct);
        _tracker.Advertised()[Domain].Should().Be(ProbeFlags.PunchDirect);
        _log.Last().Should().Be("domain edge-b: Trial -> Direct: switched relay -> direct: cost 54.7 -> 37.4 ms, "
            + "cheaper by more than the margin (5.5 ms) for 5000 ms; the remote end is ready too (after 600 ms)", "the numbers of the decision, and the wait");
    }

    [Fact]
    public void A_remote_end_that_never_gets_ready_sends_the_pair_back_to_the_relay_after_the_trial_timeout()
    {
        _remote = ProbeFlags.None;
        ToTrial();
        _direct = Up(37.4);
        At(5);
        At(10).Should().Be(PunchStage.Trial);
        At(19.9).Should().Be(PunchStage.Trial);
        At(20).Should().Be(PunchStage.Relayed);
        _log.Last().Should().StartWith("domain edge-b: Trial -> Relayed: the remote end did not get ready for the punched path within 10 s");
        _tracker.Advertised()[Domain].Should().Be(ProbeFlags.None);
    }

    [Fact]
    public void A_direct_pair_goes_back_to_the_relay_at_once_when_the_remote_end_says_it_did_but_not_when_it_is_only_unheard()
    {
        ToDirect();
        _remote = null;
        At(11).Should().Be(PunchStage.Direct, "a missing request says nothing (the remote agent may be restarting)");
        _remote = ProbeFlags.PunchReady;
        At(11.1).Should().Be(PunchStage.Direct, "ready: it is about to switch");
        _remote = ProbeFlags.None;
        At(11.2).Should().Be(PunchStage.Relayed);
        _log.Last().Should().Contain("the remote end went back to the relay");
    }

    private void ToTrial()
    {
        _relay = Up(54.7);
        At(0);
        At(4).Should().Be(PunchStage.Trial);
    }

    private void ToDirect()
    {
        ToTrial();
        _direct = Up(37.4);
        At(5);
        At(10).Should().Be(PunchStage.Direct);
    }

    private PunchStage At(double seconds) =>
        _tracker.Decide([Domain], _ => _relay, _ => _direct, _ => _remote, TimeSpan.FromSeconds(seconds), _log)[Domain];

    private static ProbeStatistics Up(double rttMs) => Stats(HealthState.Up, rttMs);

    private static ProbeStatistics Down() => Stats(HealthState.Down, null);

    private static ProbeStatistics Stats(HealthState state, double? rttMs) =>
        new(state, 0, 0, 0, 0, 0, 0, 0, 0, null, rttMs is null ? null : TimeSpan.FromMilliseconds(rttMs.Value), null, null, 0, null);
}
