using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Tests.Health;

/// <summary>The prober's pure core: request numbering, reply matching, timeouts, RTT and loss, on a fake clock.</summary>
public sealed class ProbeSessionTests
{
    private const uint SessionId = 0xabcdef01;
    private static readonly ulong Responder = ProbeNodeId.Of("gw-b");
    private static readonly GatewayClaim Claim = new(true, false, 4, 2);
    private readonly List<HealthTransition> _transitions = [];
    private readonly ProbeSession _session = new("gw-b", SessionId, ProbeNodeId.Of("gw-a"), new DetectorOptions());

    [Fact]
    public void Requests_carry_the_session_a_rising_sequence_the_send_time_and_our_node_id()
    {
        var first = _session.NextRequest(Ms(0), _transitions);
        var second = _session.NextRequest(Ms(100), _transitions);

        first.Should().Be(ProbePacket.Request(SessionId, 1, 0, ProbeNodeId.Of("gw-a")));
        second.Sequence.Should().Be(2);
        second.Timestamp.Should().Be(100_000_000UL, "nanoseconds of the monotonic offset");
    }

    [Fact]
    public void A_reply_in_time_is_an_rtt_sample_and_records_who_answered_and_what_it_claims()
    {
        var request = _session.NextRequest(Ms(0), _transitions);

        var outcome = _session.OnReply(ReplyTo(request), Ms(30), _transitions);

        outcome.Should().Be(new ReplyOutcome(ReplyStatus.Accepted, Ms(30)));
        var stats = _session.Statistics();
        stats.Replies.Should().Be(1);
        stats.LastRtt.Should().Be(Ms(30));
        stats.SmoothedRtt.Should().Be(Ms(30), "the first sample seeds the average");
        stats.LastResponder.Should().Be(Responder);
        stats.LastClaim.Should().Be(Claim);
    }

    [Fact]
    public void Replies_that_do_not_belong_to_a_pending_probe_of_this_session_are_rejected_and_change_nothing()
    {
        var request = _session.NextRequest(Ms(0), _transitions);
        var reply = ReplyTo(request);

        _session.OnReply(reply with { Session = SessionId + 1 }, Ms(5), _transitions).Status.Should().Be(ReplyStatus.WrongSession);
        _session.OnReply(reply with { Sequence = 7 }, Ms(5), _transitions).Status.Should().Be(ReplyStatus.UnknownSequence);
        _session.OnReply(reply with { Timestamp = 1 }, Ms(5), _transitions).Status.Should().Be(ReplyStatus.TimestampMismatch);
        _session.OnReply(request, Ms(5), _transitions).Status.Should().Be(ReplyStatus.NotAReply);
        _session.Statistics().Should().Match<ProbeStatistics>(s => s.Replies == 0 && s.Rejected == 4 && s.LastRtt == null);

        _session.OnReply(reply, Ms(6), _transitions).Status.Should().Be(ReplyStatus.Accepted);
        _session.OnReply(reply, Ms(7), _transitions).Status.Should().Be(ReplyStatus.Duplicate);
        _session.Statistics().Replies.Should().Be(1);
    }

    [Fact]
    public void A_reply_after_the_timeout_is_late_it_stays_a_miss_but_is_an_rtt_sample()
    {
        var request = _session.NextRequest(Ms(0), _transitions);

        var outcome = _session.OnReply(ReplyTo(request), Ms(250), _transitions);

        outcome.Should().Be(new ReplyOutcome(ReplyStatus.Late, Ms(250)));
        _session.Statistics().Should().Match<ProbeStatistics>(s =>
            s.Misses == 1 && s.LateReplies == 1 && s.Replies == 0 && s.ConsecutiveMisses == 1 && s.LastRtt == Ms(250));
    }

    [Fact]
    public void Smoothed_rtt_moves_an_eighth_of_the_way_to_each_sample()
    {
        Answer(Ms(0), Ms(80));
        Answer(Ms(100), Ms(100 + 160));

        _session.Statistics().SmoothedRtt.Should().Be(Ms(90), "80 + (160 - 80) / 8");
    }

    [Fact]
    public void Loss_ratio_counts_missed_and_late_probes_over_the_window()
    {
        for (int i = 0; i < 10; i++)
        {
            var request = _session.NextRequest(Ms(i * 100), _transitions);
            if (i % 5 != 0)
            {
                _session.OnReply(ReplyTo(request), Ms((i * 100) + 10), _transitions);
            }
        }

        _session.Expire(Ms(2000), _transitions);
        _session.Statistics().LossRatio.Should().Be(0.2);

        // 50 more answered probes push every miss out of the 50-probe window.
        for (int i = 0; i < 50; i++)
        {
            Answer(Ms(3000 + (i * 100)), Ms(3000 + (i * 100) + 10));
        }

        _session.Statistics().LossRatio.Should().Be(0);
    }

    [Fact]
    public void Misses_are_decided_in_sequence_order_when_their_timeout_passes()
    {
        _session.NextRequest(Ms(0), _transitions);
        _session.NextRequest(Ms(100), _transitions);
        _session.Expire(Ms(199), _transitions).Should().Be(0);
        _session.Expire(Ms(200), _transitions).Should().Be(1);
        _session.Expire(Ms(300), _transitions).Should().Be(1);
        _session.Statistics().ConsecutiveMisses.Should().Be(2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(99)]
    public void With_defaults_a_path_that_dies_at_any_phase_is_Down_within_500_ms(int phaseMs)
    {
        var dies = Ms(1000 + phaseMs);
        HealthTransition? fall = null;
        for (var now = TimeSpan.Zero; now < Ms(3000) && fall is null; now += Ms(100))
        {
            var request = _session.NextRequest(now, _transitions);
            if (now + Ms(1) < dies)
            {
                _session.OnReply(ReplyTo(request), now + Ms(1), _transitions);
            }

            fall = _transitions.FirstOrDefault(t => t.To == HealthState.Down);
        }

        fall.Should().NotBeNull();
        fall!.Reason.Should().Be(TransitionReason.Fall);
        (fall.At - dies).Should().BeLessThanOrEqualTo(Ms(500));
    }

    private void Answer(TimeSpan sent, TimeSpan answered) =>
        _session.OnReply(ReplyTo(_session.NextRequest(sent, _transitions)), answered, _transitions);

    private static ProbePacket ReplyTo(ProbePacket request) => request.ReplyFrom(Responder, Claim);

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
