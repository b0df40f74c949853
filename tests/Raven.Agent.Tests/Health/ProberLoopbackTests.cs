using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Probing;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Tests.Proxy;
using Raven.TestSupport;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// The prober's I/O shell against a real responder over loopback, with the prober's clock faked: the test moves time
/// one probe interval at a time and waits (poll with deadline) for the datagrams that step causes.
/// </summary>
public sealed class ProberLoopbackTests : IAsyncDisposable
{
    private static readonly ProbeKey Key = ProbeKey.FromPresharedKey("loopback-psk");
    private readonly FakeTimeProvider _time = new();
    private readonly List<HealthTransition> _transitions = [];
    private readonly List<IAsyncDisposable> _owned = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task Comes_Up_after_three_replies_reports_who_answered_and_goes_Down_after_three_misses()
    {
        var responder = StartResponder(Key, new GatewayClaim(true, false, 6, 2));
        var prober = await StartProberAsync(Key, responder.LocalEndPoint);

        await StepUntilAsync(prober, s => s.State == HealthState.Up, "the target is Up", settled: s => s.Replies == s.Sent);
        var up = Status(prober);
        up.Statistics.Replies.Should().Be(3, $"{up}");
        up.Statistics.LastResponder.Should().Be(ProbeNodeId.Of("gw-b"));
        up.Statistics.LastClaim.Should().Be(new GatewayClaim(true, false, 6, 2));
        responder.Counters.Replies.Should().Be(3);
        responder.SinceLastHeard(ProbeNodeId.Of("gw-a")).Should().NotBeNull();
        responder.PeersHeardWithin(TimeSpan.FromMinutes(1)).Should().Be(1);

        await responder.DisposeAsync();
        await StepUntilAsync(prober, s => s.State == HealthState.Down, "the target is Down");

        _transitions.Select(t => (t.From, t.To, t.Reason)).Should().Equal(
            (HealthState.Unknown, HealthState.Up, TransitionReason.Rise),
            (HealthState.Up, HealthState.Down, TransitionReason.Fall));
        _transitions[1].ConsecutiveMisses.Should().Be(3);
        Status(prober).Statistics.Misses.Should().Be(3);
    }

    [Fact]
    public async Task A_changed_punch_state_reaches_the_responder_at_once_in_an_extra_request_and_stays_on_the_following_ones()
    {
        var responder = StartResponder(Key, default);
        var prober = await StartProberAsync(Key, responder.LocalEndPoint);
        var gwA = ProbeNodeId.Of("gw-a");
        await StepUntilAsync(prober, s => s.State == HealthState.Up, "the target is Up", settled: s => s.Replies == s.Sent);
        responder.PunchFrom(gwA, TimeSpan.FromMinutes(1)).Should().Be(ProbeFlags.None);
        var sent = Status(prober).Statistics.Sent;

        prober.SetPunch("gw-b", ProbeFlags.PunchReady).Should().BeTrue();

        // No clock step: the extra request alone carries it.
        await Poll.UntilAsync(() => responder.PunchFrom(gwA, TimeSpan.FromMinutes(1)) == ProbeFlags.PunchReady, "the responder heard the new state",
            TimeSpan.FromSeconds(5));
        Status(prober).Statistics.Sent.Should().Be(sent + 1);
        prober.SetPunch("gw-b", ProbeFlags.PunchReady).Should().BeTrue();
        await StepUntilAsync(prober, s => s.Sent >= sent + 3, "two more timer requests", settled: s => s.Replies == s.Sent);
        Status(prober).Statistics.Sent.Should().Be(sent + 3, "an unchanged state sends nothing extra");
        responder.PunchFrom(gwA, TimeSpan.FromMinutes(1)).Should().Be(ProbeFlags.PunchReady, "every request carries it");
        prober.SetPunch("no-such-target", ProbeFlags.PunchDirect).Should().BeFalse();
    }

    [Fact]
    public async Task A_prober_with_another_key_or_none_gets_no_answer_and_the_responder_counts_it()
    {
        var responder = StartResponder(Key, default);
        var wrongKey = await StartProberAsync(ProbeKey.FromPresharedKey("other-psk"), responder.LocalEndPoint);

        await StepUntilAsync(wrongKey, s => s.State == HealthState.Down, "the wrongly keyed target is Down",
            settled: s => responder.Counters.AuthenticationFailures == s.Sent);

        _transitions.Single().Reason.Should().Be(TransitionReason.MissedBeforeUp);
        responder.Counters.Replies.Should().Be(0);
        responder.PeersHeardWithin(TimeSpan.FromMinutes(1)).Should().Be(0, "unauthenticated requests are no evidence of anyone");

        await wrongKey.DisposeAsync();
        long before = responder.Counters.AuthenticationFailures;
        var unauthenticated = await StartProberAsync(null, responder.LocalEndPoint);
        await StepUntilAsync(unauthenticated, s => s.Sent >= 3, "three unauthenticated probes sent",
            settled: s => responder.Counters.AuthenticationFailures == before + s.Sent);
        responder.Counters.Replies.Should().Be(0);
    }

    [Fact]
    public async Task The_responder_answers_with_the_same_length_ignores_replies_and_garbage_and_rate_limits_per_source()
    {
        var responder = StartResponder(null, new GatewayClaim(true, true, 9, 1), rate: 1, burst: 2);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 5000;
        var request = new byte[ProbeWire.HeaderLength];
        ProbeCodec.Encode(ProbePacket.Request(77, 1, 123456789, ProbeNodeId.Of("gw-a")), null, request);

        client.SendTo(request, responder.LocalEndPoint);
        var answer = new byte[100];
        int length = client.Receive(answer);

        length.Should().Be(request.Length);
        ProbeCodec.TryDecode(answer.AsSpan(0, length), null, out var reply).Should().Be(ProbeDecodeStatus.Ok);
        reply.Should().Be(new ProbePacket(ProbeType.Reply, ProbeFlags.Serving | ProbeFlags.Yielding, 77, 1, 123456789, ProbeNodeId.Of("gw-b"), 1, 9));

        ProbeCodec.Encode(reply, null, answer);
        client.SendTo(answer.AsSpan(0, length), responder.LocalEndPoint);
        client.SendTo("not a probe"u8, responder.LocalEndPoint);
        for (int i = 0; i < 4; i++)
        {
            client.SendTo(request, responder.LocalEndPoint);
        }

        await Poll.UntilAsync(() => responder.Counters.Received == 7, "all seven datagrams arrived");
        responder.Counters.Should().Match<ResponderCounters>(c =>
            c.Replies == 2 && c.IgnoredReplies == 1 && c.Malformed == 1 && c.RateLimited == 3 && c.AuthenticationFailures == 0);
    }

    [Fact]
    public async Task Sync_is_idempotent_restarts_changed_targets_and_reports_targets_it_cannot_open()
    {
        var responder = StartResponder(Key, default);
        var prober = new Prober(new ProberOptions { NodeName = "gw-a" }, Key, _time);
        _owned.Add(prober);
        var target = new ProbeTarget("gw-b", responder.LocalEndPoint);

        (await prober.SyncAsync([target])).Should().Match<ProbeSyncResult>(r => r.Started == 1 && r.Stopped == 0 && r.Failed.Count == 0);
        uint session = Status(prober).Session;
        (await prober.SyncAsync([target with { }])).Should().Match<ProbeSyncResult>(r => r.Started == 0 && r.Stopped == 0);
        Status(prober).Session.Should().Be(session, "an unchanged target keeps its session");

        var moved = target with { Destination = new IPEndPoint(IPAddress.Loopback, responder.LocalEndPoint.Port + 1) };
        var unbindable = new ProbeTarget("bad", responder.LocalEndPoint) { Source = IPAddress.Parse("203.0.113.9") };
        var result = await prober.SyncAsync([moved, unbindable]);

        result.Started.Should().Be(1);
        result.Stopped.Should().Be(1);
        result.Failed.Should().ContainSingle().Which.Should().StartWith("bad: ");
        prober.Snapshot().Select(s => s.Target.Name).Should().Equal("gw-b");
        Status(prober).Session.Should().NotBe(session, "a changed target starts a new session");

        var duplicate = () => prober.SyncAsync([target, target]);
        await duplicate.Should().ThrowAsync<ArgumentException>().WithMessage("*'gw-b' is used twice*");
        var badDevice = () => prober.SyncAsync([target with { Device = "no/such" }]);
        await badDevice.Should().ThrowAsync<ArgumentException>().WithMessage("*Device*");
        prober.Snapshot().Should().ContainSingle("a rejected sync changes nothing");

        (await prober.SyncAsync([])).Stopped.Should().Be(1);
        prober.Snapshot().Should().BeEmpty();
    }

    private ProbeResponder StartResponder(ProbeKey? key, GatewayClaim claim, double rate = 200, int burst = 50)
    {
        var responder = ProbeResponder.Start(
            new ResponderOptions
            {
                NodeName = "gw-b",
                BindAddress = IPAddress.Loopback,
                Port = 0,
                RepliesPerSecondPerSource = rate,
                BurstPerSource = burst,
            },
            key,
            new ResponderState(claim),
            _time);
        _owned.Add(responder);
        return responder;
    }

    private async Task<Prober> StartProberAsync(ProbeKey? key, IPEndPoint responder)
    {
        var prober = new Prober(new ProberOptions { NodeName = "gw-a" }, key, _time);
        _owned.Add(prober);
        prober.Transition += t =>
        {
            lock (_transitions)
            {
                _transitions.Add(t);
            }
        };
        (await prober.SyncAsync([new ProbeTarget("gw-b", responder)])).Failed.Should().BeEmpty();
        return prober;
    }

    /// <summary>
    /// Moves the clock one interval at a time until <paramref name="done"/> holds. Before each step it waits until
    /// the probe just sent has been sent and <paramref name="settled"/> says its consequence has been seen (the
    /// reply processed, or the responder having counted the datagram), so every step is decided before the next.
    /// </summary>
    private async Task StepUntilAsync(Prober prober, Func<ProbeStatistics, bool> done, string what, Func<ProbeStatistics, bool>? settled = null)
    {
        for (int step = 0; step < 100; step++)
        {
            long sent = step + 1;
            await Poll.UntilAsync(() => Status(prober).Statistics is var s && s.Sent >= sent && (settled?.Invoke(s) ?? true),
                $"probe {sent} sent and settled");
            if (done(Status(prober).Statistics))
            {
                return;
            }

            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"not reached in 100 probe intervals: {what}");
    }

    private static ProbeTargetStatus Status(Prober prober) => prober.Snapshot().Single();
}
