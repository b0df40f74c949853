using System.Collections.Concurrent;
using System.Net;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Probing;
using Raven.Agent.Health.Protocol;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Health;

/// <summary>
/// Prober and responder in separate namespaces joined through a router namespace: the detector follows what really
/// happens to the packets (a DROP in the middle, the far link going down), hold-down holds, wrong keys get nothing.
/// Every check reads a counter outside the detector: the router's DROP rule, the responder's reply counter.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProbeNamespaceTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly ProbeKey Key = ProbeKey.FromPresharedKey("namespace-test-psk");
    private static readonly DetectorOptions Detector = new() { HoldDown = TimeSpan.FromSeconds(1) };
    private readonly ProbeLab _lab = ProbeLab.Create();

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task A_drop_in_the_middle_takes_the_target_Down_and_it_comes_back_only_after_hold_down()
    {
        await using var responder = StartResponder(Key);
        await using var prober = new Prober(new ProberOptions { NodeName = "gw-a", Detector = Detector, NetworkNamespace = _lab.Prober.Name }, Key);
        var seen = Record(prober, responder);
        await StartAsync(prober);

        (await AgentLab.WaitUntilAsync(() => State(prober) == HealthState.Up, Deadline)).Should().BeTrue("the probes are answered");

        _lab.CutInRouter();
        (await AgentLab.WaitUntilAsync(() => State(prober) == HealthState.Down, Deadline)).Should().BeTrue("the router drops every probe");
        var fall = seen.Single(s => s.Transition.To == HealthState.Down).Transition;
        fall.Reason.Should().Be(TransitionReason.Fall);
        fall.ConsecutiveMisses.Should().Be(Detector.DownAfterMisses);
        _lab.DroppedInRouter().Should().BeGreaterThanOrEqualTo(fall.ConsecutiveMisses, "the missed probes are the ones the router dropped");

        long repliesAtRestore = responder.Counters.Replies;
        _lab.RestoreInRouter();
        (await AgentLab.WaitUntilAsync(() => State(prober) == HealthState.Up, Deadline)).Should().BeTrue("the path works again");

        seen.Select(s => (s.Transition.From, s.Transition.To, s.Transition.Reason)).Should().Equal(
            (HealthState.Unknown, HealthState.Up, TransitionReason.Rise),
            (HealthState.Up, HealthState.Down, TransitionReason.Fall),
            (HealthState.Down, HealthState.Up, TransitionReason.HoldDownPassed));
        var (back, repliesAtBack) = seen[2];
        back.ConsecutiveReplies.Should().BeGreaterThanOrEqualTo(Detector.HoldDownReplies);
        (repliesAtBack - repliesAtRestore).Should().BeGreaterThanOrEqualTo(Detector.HoldDownReplies,
            "the responder had answered a hold-down's worth of probes before the target was reported Up");
        prober.Find("gw-b")!.Statistics.LastResponder.Should().Be(ProbeNodeId.Of("gw-b"));
    }

    [Fact]
    public async Task The_far_link_going_down_takes_the_target_Down_and_back_Up_after_hold_down()
    {
        await using var responder = StartResponder(Key);
        await using var prober = new Prober(new ProberOptions { NodeName = "gw-a", Detector = Detector, NetworkNamespace = _lab.Prober.Name }, Key);
        var seen = Record(prober, responder);
        await StartAsync(prober);
        (await AgentLab.WaitUntilAsync(() => State(prober) == HealthState.Up, Deadline)).Should().BeTrue();

        _lab.Responder.Ip("link", "set", "b0", "down");
        (await AgentLab.WaitUntilAsync(() => State(prober) == HealthState.Down, Deadline)).Should().BeTrue("the responder's link is down");
        long repliesWhileDown = responder.Counters.Replies;

        _lab.Responder.Ip("link", "set", "b0", "up");
        _lab.Responder.Ip("route", "replace", "198.51.100.0/30", "via", "198.51.100.5");
        (await AgentLab.WaitUntilAsync(() => State(prober) == HealthState.Up, Deadline)).Should().BeTrue("the link is back");

        seen.Select(s => s.Transition.Reason).Should().Equal(TransitionReason.Rise, TransitionReason.Fall, TransitionReason.HoldDownPassed);
        (seen[2].RepliesAtTransition - repliesWhileDown).Should().BeGreaterThanOrEqualTo(Detector.HoldDownReplies);
    }

    [Fact]
    public async Task A_probe_with_the_wrong_key_is_never_answered_and_the_responder_counts_it()
    {
        await using var responder = StartResponder(Key);
        await using var good = new Prober(new ProberOptions { NodeName = "gw-a", Detector = Detector, NetworkNamespace = _lab.Prober.Name }, Key);
        await using var bad = new Prober(new ProberOptions { NodeName = "gw-x", Detector = Detector, NetworkNamespace = _lab.Prober.Name },
            ProbeKey.FromPresharedKey("not-the-cluster-psk"));
        await StartAsync(good);
        await StartAsync(bad);

        (await AgentLab.WaitUntilAsync(() => State(good) == HealthState.Up && State(bad) == HealthState.Down, Deadline)).Should().BeTrue();

        var badStatus = bad.Find("gw-b")!;
        badStatus.Statistics.LastTransition!.Reason.Should().Be(TransitionReason.MissedBeforeUp);
        (badStatus.Statistics.Replies + badStatus.Statistics.Rejected + badStatus.AuthenticationFailures + badStatus.Malformed)
            .Should().Be(0, "nothing at all came back to the wrongly keyed prober's socket");
        responder.Counters.AuthenticationFailures.Should().BeGreaterThanOrEqualTo(Detector.DownAfterMisses);
        responder.SinceLastHeard(ProbeNodeId.Of("gw-x")).Should().BeNull("an unauthenticated request is no evidence of its sender");
        responder.SinceLastHeard(ProbeNodeId.Of("gw-a")).Should().NotBeNull();
    }

    private ProbeResponder StartResponder(ProbeKey key) => ProbeResponder.Start(
        new ResponderOptions { NodeName = "gw-b", BindAddress = IPAddress.Parse(ProbeLab.ResponderAddress), NetworkNamespace = _lab.Responder.Name },
        key,
        new ResponderState(new GatewayClaim(true, false, 1, 1)));

    private static async Task StartAsync(Prober prober) =>
        (await prober.SyncAsync([new ProbeTarget("gw-b", new IPEndPoint(IPAddress.Parse(ProbeLab.ResponderAddress), ProbeWire.DefaultPort))]))
            .Failed.Should().BeEmpty();

    /// <summary>Every transition, with the responder's reply counter read at that moment.</summary>
    private static List<(HealthTransition Transition, long RepliesAtTransition)> Record(Prober prober, ProbeResponder responder)
    {
        var seen = new List<(HealthTransition, long)>();
        prober.Transition += t =>
        {
            lock (seen)
            {
                seen.Add((t, responder.Counters.Replies));
            }
        };
        return seen;
    }

    private static HealthState State(Prober prober) => prober.Find("gw-b")?.Statistics.State ?? HealthState.Unknown;
}
