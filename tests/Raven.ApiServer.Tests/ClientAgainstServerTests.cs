using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using Raven.Kube.Client.Config;
using Raven.Kube.Client.Leader;
using Raven.Kube.Models;
using Raven.Kube.Client.Watch;
using KubeListOptions = Raven.Kube.Client.ListOptions;

namespace Raven.ApiServer.Tests;

/// <summary>Our client against our server, over TCP and over a Unix socket: the two halves must agree on the wire.</summary>
public sealed class ClientAgainstServerTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private string _socket = null!;

    public async Task InitializeAsync()
    {
        var dir = Directory.CreateTempSubdirectory("rvt-client-").FullName;
        _socket = Path.Combine(dir, "api.sock");
        _server = await TestApiServer.StartAsync(o =>
        {
            o.UnixSocketPath = _socket;
            o.WatchHistorySize = 50;
            o.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        }, dir);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<bool> Transports => new() { false, true };

    private KubeClient Client(bool unixSocket) => new(new KubeClientConfig
    {
        Server = unixSocket ? new Uri($"unix://{_socket}") : _server.Server.Url,
        Qps = 1000,
        Burst = 1000,
    });

    private static ConfigMap Map(string name, string value = "v") => new()
    {
        Metadata = new() { Name = name, Namespace = "default", Labels = new() { ["app"] = "raven-test" } },
        Data = new() { ["k"] = value },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Paging_returns_every_object_once(bool unixSocket)
    {
        using var client = Client(unixSocket);
        var maps = client.Resource(KubeResources.ConfigMap);
        for (var i = 0; i < 23; i++)
        {
            await maps.CreateAsync(Map($"page-{i:00}"));
        }

        var first = await maps.ListAsync("default", new KubeListOptions { Limit = 10, LabelSelector = "app=raven-test" });
        var all = await maps.ListAllAsync("default", new KubeListOptions { Limit = 10, LabelSelector = "app=raven-test" });

        first.Items.Should().HaveCount(10);
        first.Metadata.Continue.Should().NotBeNullOrEmpty();
        all.Items.Select(m => m.Metadata.Name).Should().OnlyHaveUniqueItems().And.HaveCount(23);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Watch_from_a_resource_version_sees_later_changes_and_bookmarks(bool unixSocket)
    {
        using var client = Client(unixSocket);
        var maps = client.Resource(KubeResources.ConfigMap);
        var created = await maps.CreateAsync(Map("watched"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<WatchEventType>();

        var watching = Task.Run(async () =>
        {
            await foreach (var e in maps.WatchAsync("default", new KubeListOptions { ResourceVersion = created.Metadata.ResourceVersion, AllowWatchBookmarks = true }, timeout.Token))
            {
                seen.Add(e.Type);
                if (seen.Contains(WatchEventType.Modified) && seen.Contains(WatchEventType.Bookmark))
                {
                    return;
                }
            }
        }, timeout.Token);
        created.Data!["k"] = "changed";
        await maps.UpdateAsync(created);
        await watching;

        seen.Should().NotContain(WatchEventType.Added, "the watch started after the create");
        seen.Should().Contain(WatchEventType.Modified).And.Contain(WatchEventType.Bookmark);
    }

    [Fact]
    public async Task A_watch_from_a_compacted_version_is_expired_and_the_informer_relists()
    {
        using var client = Client(unixSocket: false);
        var maps = client.Resource(KubeResources.ConfigMap);
        var old = await maps.CreateAsync(Map("old"));
        for (var i = 0; i < 60; i++)
        {
            await maps.CreateAsync(Map($"filler-{i}")); // pushes "old"'s version out of the 50-event history
        }

        var expired = async () =>
        {
            await foreach (var _ in maps.WatchAsync("default", new KubeListOptions { ResourceVersion = old.Metadata.ResourceVersion }))
            {
            }
        };

        await expired.Should().ThrowAsync<KubeExpiredException>();

        var informer = new Informer<ConfigMap>(maps, new InformerOptions { Namespace = "default" });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None);
        informer.Store.Get("default", "old").Should().NotBeNull();
        await stop.CancelAsync();
        await run;
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_stale_update_is_a_typed_conflict(bool unixSocket)
    {
        using var client = Client(unixSocket);
        var maps = client.Resource(KubeResources.ConfigMap);
        var original = await maps.CreateAsync(Map(unixSocket ? "conflict-unix" : "conflict-tcp"));
        var fresh = await maps.GetAsync(original.Metadata.Name!, "default");
        fresh.Data!["k"] = "first";
        await maps.UpdateAsync(fresh);

        original.Data!["k"] = "second";
        var stale = () => maps.UpdateAsync(original);

        await stale.Should().ThrowAsync<KubeConflictException>();
        var retried = await maps.UpdateWithRetryAsync(original.Metadata.Name!, "default", m =>
        {
            m.Data!["k"] = "second";
            return true;
        });
        retried.Data!["k"].Should().Be("second");
    }

    [Fact]
    public async Task Leadership_passes_to_the_second_candidate_when_the_first_stops()
    {
        using var client = Client(unixSocket: true);
        var leases = client.Resource(KubeResources.Lease);
        LeaderElector Candidate(string id, TaskCompletionSource<string> started) => new(leases, new LeaderElectionConfig
        {
            LeaseName = "handover", LeaseNamespace = "default", Identity = id,
            LeaseDuration = TimeSpan.FromSeconds(3), RenewDeadline = TimeSpan.FromSeconds(2), RetryPeriod = TimeSpan.FromMilliseconds(200),
        }, new LeaderCallbacks(async token =>
        {
            started.TrySetResult(id);
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
        }));

        var aStarted = new TaskCompletionSource<string>();
        var bStarted = new TaskCompletionSource<string>();
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = Candidate("a", aStarted).RunAsync(stopA.Token);
        (await aStarted.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("a");
        var runB = Candidate("b", bStarted).RunAsync(stopB.Token);

        await stopA.CancelAsync(); // a releases the lease on the way out
        await runA;

        (await bStarted.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("b");
        (await leases.GetAsync("handover", "default")).Spec.HolderIdentity.Should().Be("b");
        await stopB.CancelAsync();
        await runB;
    }
}
