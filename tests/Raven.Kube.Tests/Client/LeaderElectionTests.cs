using System.Collections.Concurrent;
using Raven.Kube.Client;
using Raven.Kube.Client.Leader;
using Raven.Kube.Models;

namespace Raven.Kube.Tests.Client;

public sealed class LeaderElectionTests : IDisposable
{
    private const string LeasePath = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/raven-controller";
    private readonly InMemoryObjectApi _api = new();
    private readonly KubeClient _client;

    public LeaderElectionTests()
    {
        _client = TestClients.With(_api.Handler());
    }

    public void Dispose() => _client.Dispose();

    private LeaderElector Candidate(string identity, TimeProvider time, LeaderCallbacks? callbacks = null, bool fast = false) =>
        new(_client.Resource<Lease>(), new LeaderElectionConfig
        {
            LeaseName = "raven-controller",
            LeaseNamespace = "kube-system",
            Identity = identity,
            Time = time,
            LeaseDuration = fast ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(15),
            RenewDeadline = fast ? TimeSpan.FromMilliseconds(600) : TimeSpan.FromSeconds(10),
            RetryPeriod = fast ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(2),
        }, callbacks);

    private LeaseSpec Lease()
    {
        var json = _api.Get(LeasePath) ?? throw new InvalidOperationException("no lease");
        return Api.Json.RavenJson.Deserialize<Lease>(json.ToJsonString()).Spec;
    }

    [Fact]
    public async Task The_first_candidate_creates_the_lease()
    {
        var time = new ManualTime();
        var leaders = new List<string>();
        var a = Candidate("a", time, new LeaderCallbacks(OnNewLeader: leaders.Add));

        (await a.TryAcquireOrRenewAsync(default)).Should().BeTrue();

        a.IsLeader.Should().BeTrue();
        leaders.Should().Equal("a");
        var lease = Lease();
        lease.HolderIdentity.Should().Be("a");
        lease.LeaseDurationSeconds.Should().Be(15);
        lease.LeaseTransitions.Should().Be(0);
        lease.AcquireTime.Should().Be(time.GetUtcNow());
        lease.RenewTime.Should().Be(time.GetUtcNow());
        _api.Get(LeasePath)!["spec"]!["renewTime"]!.GetValue<string>().Should().Be("2026-01-02T03:04:05.000000Z");
    }

    [Fact]
    public async Task Others_take_over_only_after_the_lease_expires_on_their_own_clock()
    {
        var timeA = new ManualTime();
        var timeB = new ManualTime(timeA.GetUtcNow().AddHours(5)); // B's clock is skewed; only durations matter.
        var a = Candidate("a", timeA);
        var b = Candidate("b", timeB);
        (await a.TryAcquireOrRenewAsync(default)).Should().BeTrue();

        (await b.TryAcquireOrRenewAsync(default)).Should().BeFalse();
        b.ObservedLeader.Should().Be("a");
        timeB.Advance(TimeSpan.FromSeconds(14));
        (await b.TryAcquireOrRenewAsync(default)).Should().BeFalse("14s < 15s since b first saw this record");

        timeB.Advance(TimeSpan.FromSeconds(1));
        (await b.TryAcquireOrRenewAsync(default)).Should().BeTrue();

        var lease = Lease();
        lease.HolderIdentity.Should().Be("b");
        lease.LeaseTransitions.Should().Be(1);
        lease.AcquireTime.Should().Be(timeB.GetUtcNow());
        (await a.TryAcquireOrRenewAsync(default)).Should().BeFalse();
        a.IsLeader.Should().BeFalse();
        a.ObservedLeader.Should().Be("b");
    }

    [Fact]
    public async Task Renewal_moves_renew_time_and_keeps_acquire_time_and_transitions()
    {
        var time = new ManualTime();
        var a = Candidate("a", time);
        var b = Candidate("b", time);
        (await a.TryAcquireOrRenewAsync(default)).Should().BeTrue();
        var acquired = time.GetUtcNow();
        (await b.TryAcquireOrRenewAsync(default)).Should().BeFalse();

        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            (await a.TryAcquireOrRenewAsync(default)).Should().BeTrue();
            (await b.TryAcquireOrRenewAsync(default)).Should().BeFalse("a keeps renewing, so b sees a fresh record each time");
        }

        var lease = Lease();
        lease.AcquireTime.Should().Be(acquired);
        lease.RenewTime.Should().Be(time.GetUtcNow());
        lease.LeaseTransitions.Should().Be(0);
    }

    [Fact]
    public async Task Release_lets_the_next_candidate_in_at_once()
    {
        var time = new ManualTime();
        var a = Candidate("a", time);
        var b = Candidate("b", time);
        (await a.TryAcquireOrRenewAsync(default)).Should().BeTrue();
        (await b.TryAcquireOrRenewAsync(default)).Should().BeFalse();

        (await a.ReleaseAsync(default)).Should().BeTrue();
        Lease().HolderIdentity.Should().BeNull();

        (await b.TryAcquireOrRenewAsync(default)).Should().BeTrue("an empty holder is free without waiting");
        Lease().LeaseTransitions.Should().Be(1);
        (await a.ReleaseAsync(default)).Should().BeFalse("a no longer holds it");
    }

    [Fact]
    public async Task Api_failures_are_a_failed_attempt_not_an_exception()
    {
        var a = Candidate("a", new ManualTime());
        _api.Failing = true;

        (await a.TryAcquireOrRenewAsync(default)).Should().BeFalse();
    }

    [Theory]
    [InlineData(10, 10, 2, "LeaseDuration")]
    [InlineData(15, 2, 2, "RenewDeadline")]
    [InlineData(15, 10, 0, "RetryPeriod")]
    public void Inconsistent_durations_are_rejected(int lease, int renew, int retry, string named)
    {
        var act = () => new LeaderElector(_client.Resource<Lease>(), new LeaderElectionConfig
        {
            LeaseName = "l",
            LeaseNamespace = "ns",
            Identity = "a",
            LeaseDuration = TimeSpan.FromSeconds(lease),
            RenewDeadline = TimeSpan.FromSeconds(renew),
            RetryPeriod = TimeSpan.FromSeconds(retry),
        });

        act.Should().Throw<ArgumentException>().WithMessage($"*{named}*");
    }

    [Fact]
    public async Task Stopping_the_leader_hands_over_to_the_waiting_candidate()
    {
        var events = new ConcurrentQueue<string>();
        LeaderCallbacks Callbacks(string who) => new(
            OnStartedLeading: _ => { events.Enqueue($"{who} started"); return Task.CompletedTask; },
            OnStoppedLeading: () => events.Enqueue($"{who} stopped"));
        var a = Candidate("a", TimeProvider.System, Callbacks("a"), fast: true);
        var b = Candidate("b", TimeProvider.System, Callbacks("b"), fast: true);
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();

        var runA = a.RunAsync(stopA.Token);
        await Eventually.True(() => events.Contains("a started"), "a leads");
        var runB = b.RunAsync(stopB.Token);
        await Eventually.True(() => b.ObservedLeader == "a", "b sees a as leader");
        await stopA.CancelAsync();
        await runA.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.True(() => events.Contains("b started"), "b takes over after a releases");
        await stopB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(10));

        events.Should().Equal("a started", "a stopped", "b started", "b stopped");
        Lease().HolderIdentity.Should().BeNull("b released on stop too");
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_steps_down_and_its_work_is_cancelled()
    {
        var workCancelled = new TaskCompletionSource();
        var stopped = new TaskCompletionSource();
        var a = Candidate("a", TimeProvider.System, new LeaderCallbacks(
            OnStartedLeading: async token =>
            {
                await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => workCancelled.TrySetResult(), TaskScheduler.Default);
            },
            OnStoppedLeading: () => stopped.TrySetResult()), fast: true);

        var run = a.RunAsync(CancellationToken.None);
        await Eventually.True(() => a.IsLeader, "a leads");
        _api.Failing = true;

        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await workCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        a.IsLeader.Should().BeFalse();
    }
}
