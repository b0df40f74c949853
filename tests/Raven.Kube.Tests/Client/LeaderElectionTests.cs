using System.Collections.Concurrent;
using System.Net;
using Raven.ApiServer;
using Raven.Kube.Client;
using Raven.Kube.Client.Leader;
using Raven.TestSupport;
using k8s;
using k8s.Models;

namespace Raven.Kube.Tests.Client;

/// <summary>
/// Leader election (the library's LeaderElector and LeaseLock, with Raven's campaign loop, release and free-lease
/// reading) against the embedded API server, every candidate with its own client as separate processes would be.
/// </summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private const string Lease = "raven-controller";
    private const string Namespace = "kube-system";
    private readonly EmbeddedApiServerOptions _options = new();
    private readonly List<KubeClient> _clients = [];
    private EmbeddedApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new EmbeddedApiServer(_options);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _server.DisposeAsync();
    }

    private LeaderElection Candidate(string identity, LeaderCallbacks? callbacks = null, TimeSpan? leaseDuration = null)
    {
        var client = EmbeddedCluster.NewClient(_server);
        _clients.Add(client);
        return new LeaderElection(client, new LeaderElectionOptions
        {
            LeaseName = Lease,
            LeaseNamespace = Namespace,
            Identity = identity,
            LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromMilliseconds(1200),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        }, callbacks);
    }

    private static LeaderCallbacks Recording(string who, ConcurrentQueue<string> events) => new(
        OnStartedLeading: async token =>
        {
            events.Enqueue($"{who} started");
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
        },
        OnStoppedLeading: () => events.Enqueue($"{who} stopped"));

    private async Task<V1Lease> ReadLeaseAsync()
    {
        using var client = EmbeddedCluster.NewClient(_server);
        return await client.Api.CoordinationV1.ReadNamespacedLeaseAsync(Lease, Namespace);
    }

    [Fact]
    public async Task Stopping_the_leader_releases_the_lease_and_the_waiting_candidate_takes_over_at_once()
    {
        var events = new ConcurrentQueue<string>();
        // A minute-long lease: only a release lets b in within the deadline below.
        var a = Candidate("a", Recording("a", events), TimeSpan.FromSeconds(60));
        var b = Candidate("b", Recording("b", events), TimeSpan.FromSeconds(60));
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();

        var runA = a.RunAsync(stopA.Token);
        await Poll.UntilAsync(() => events.Contains("a started"), "a leads");
        var runB = b.RunAsync(stopB.Token);
        await Poll.UntilAsync(() => b.ObservedLeader == "a", "b sees a as leader");
        await stopA.CancelAsync();
        await runA.WaitAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => events.Contains("b started"), "b takes over after a released the lease", TimeSpan.FromSeconds(20));
        await stopB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(10));

        events.Should().Equal("a started", "a stopped", "b started", "b stopped");
        var lease = await ReadLeaseAsync();
        lease.Spec.HolderIdentity.Should().BeEmpty("b released on stop too");
        lease.Spec.LeaseTransitions.Should().Be(1, "a → b is one transition");
    }

    [Fact]
    public async Task A_lease_without_a_holder_is_free_to_take()
    {
        // As kubectl, an older release or another tool may leave it: the object exists, nobody holds it.
        using (var client = EmbeddedCluster.NewClient(_server))
        {
            await client.Api.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
            {
                Metadata = new() { Name = Lease, NamespaceProperty = Namespace },
                Spec = new V1LeaseSpec { LeaseDurationSeconds = 15 },
            }, Namespace);
        }

        var events = new ConcurrentQueue<string>();
        var a = Candidate("a", Recording("a", events));
        using var stop = new CancellationTokenSource();

        var run = a.RunAsync(stop.Token);
        await Poll.UntilAsync(() => events.Contains("a started"), "a takes the unheld lease");
        (await ReadLeaseAsync()).Spec.HolderIdentity.Should().Be("a");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_campaign_outlasts_an_api_server_that_is_down_at_the_start()
    {
        var port = _server.Url.Port;
        await _server.StopAsync();
        var events = new ConcurrentQueue<string>();
        var a = Candidate("a", Recording("a", events));
        using var stop = new CancellationTokenSource();

        var run = a.RunAsync(stop.Token);
        await Poll.UntilAsync(() => _clients[^1].Connectivity.UnreachableSince is not null, "a's first attempt fails");
        await Poll.UntilAsync(() => _clients[^1].Connectivity.LastError?.Contains("/leases/", StringComparison.Ordinal) == true, "a keeps trying the lease");
        run.IsCompleted.Should().BeFalse("transport failures are retried, not the end of the campaign");
        _options.Listen = new IPEndPoint(IPAddress.Loopback, port);
        await _server.StartAsync();

        await Poll.UntilAsync(() => events.Contains("a started"), "a leads once the API server answers");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_steps_down_and_its_work_is_cancelled()
    {
        var workCancelled = new TaskCompletionSource();
        var stopped = new TaskCompletionSource();
        var a = Candidate("a", new LeaderCallbacks(
            OnStartedLeading: async token =>
            {
                await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => workCancelled.TrySetResult(), TaskScheduler.Default);
            },
            OnStoppedLeading: () => stopped.TrySetResult()));
        using var stop = new CancellationTokenSource();

        var run = a.RunAsync(stop.Token);
        await Poll.UntilAsync(() => a.IsLeader, "a leads");
        await _server.StopAsync();

        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await workCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(10, 10, 2, "LeaseDuration")]
    [InlineData(15, 2, 2, "RenewDeadline")]
    [InlineData(15, 10, 0, "RetryPeriod")]
    public void Inconsistent_durations_are_rejected(int lease, int renew, int retry, string named)
    {
        var act = () => new LeaderElection(EmbeddedCluster.NewClient(_server), new LeaderElectionOptions
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
}
