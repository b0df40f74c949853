using k8s;
using k8s.Autorest;
using k8s.Models;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using Raven.Kube.Client.Leader;

namespace Raven.ApiServer.Tests;

/// <summary>
/// The official Kubernetes client (with Raven's thin layer: Unix sockets, informer, leader election) against our
/// server, over TCP and over a Unix socket: a second real client beside kubectl must agree with it on the wire.
/// </summary>
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

    private KubeClient Client(bool unixSocket) =>
        KubeClient.ForServer(unixSocket ? $"unix://{_socket}" : _server.Server.Url.ToString(), new KubeClientOptions { Qps = 1000, Burst = 1000 });

    private static V1ConfigMap Map(string name, string value = "v") => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "raven-test" } },
        Data = new Dictionary<string, string> { ["k"] = value },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Paging_returns_every_object_once(bool unixSocket)
    {
        using var client = Client(unixSocket);
        var core = client.Api.CoreV1;
        for (var i = 0; i < 23; i++)
        {
            await core.CreateNamespacedConfigMapAsync(Map($"page-{i:00}"), "default");
        }

        var first = await core.ListNamespacedConfigMapAsync("default", limit: 10, labelSelector: "app=raven-test");
        var names = first.Items.Select(m => m.Metadata.Name).ToList();
        for (var next = first.Metadata.ContinueProperty; !string.IsNullOrEmpty(next);)
        {
            var page = await core.ListNamespacedConfigMapAsync("default", limit: 10, labelSelector: "app=raven-test", continueParameter: next);
            names.AddRange(page.Items.Select(m => m.Metadata.Name));
            next = page.Metadata.ContinueProperty;
        }

        first.Items.Should().HaveCount(10);
        first.Metadata.ContinueProperty.Should().NotBeNullOrEmpty();
        names.Should().OnlyHaveUniqueItems().And.HaveCount(23);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Watch_from_a_resource_version_sees_later_changes_and_bookmarks(bool unixSocket)
    {
        using var client = Client(unixSocket);
        var core = client.Api.CoreV1;
        var created = await core.CreateNamespacedConfigMapAsync(Map("watched"), "default");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<WatchEventType>();
        var query = new ListQuery { ResourceVersion = created.Metadata.ResourceVersion };

        var watching = Task.Run(async () =>
        {
            await foreach (var (type, _) in KubeResources.ConfigMaps.WatchAsync(client.Api, "default", query, timeout.Token))
            {
                seen.Add(type);
                if (seen.Contains(WatchEventType.Modified) && seen.Contains(WatchEventType.Bookmark))
                {
                    return;
                }
            }
        }, timeout.Token);
        created.Data["k"] = "changed";
        await core.ReplaceNamespacedConfigMapAsync(created, "watched", "default");
        await watching;

        seen.Should().NotContain(WatchEventType.Added, "the watch started after the create");
        seen.Should().Contain(WatchEventType.Modified).And.Contain(WatchEventType.Bookmark);
    }

    [Fact]
    public async Task A_watch_from_a_compacted_version_is_expired_and_the_informer_relists()
    {
        using var client = Client(unixSocket: false);
        var core = client.Api.CoreV1;
        var old = await core.CreateNamespacedConfigMapAsync(Map("old"), "default");
        for (var i = 0; i < 60; i++)
        {
            await core.CreateNamespacedConfigMapAsync(Map($"filler-{i}"), "default"); // pushes "old"'s version out of the 50-event history
        }

        var expired = async () =>
        {
            await foreach (var _ in KubeResources.ConfigMaps.WatchAsync(client.Api, "default", new ListQuery { ResourceVersion = old.Metadata.ResourceVersion }, CancellationToken.None))
            {
            }
        };

        (await expired.Should().ThrowAsync<Exception>()).Which.IsExpired().Should().BeTrue();

        var informer = new Informer<V1ConfigMap>(client, KubeResources.ConfigMaps, new InformerOptions { Namespace = "default" });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None);
        informer.Store.Get("default", "old").Should().NotBeNull();
        await stop.CancelAsync();
        await run;
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_stale_update_is_a_conflict_and_a_retried_update_wins(bool unixSocket)
    {
        using var client = Client(unixSocket);
        var core = client.Api.CoreV1;
        var name = unixSocket ? "conflict-unix" : "conflict-tcp";
        var original = await core.CreateNamespacedConfigMapAsync(Map(name), "default");
        var fresh = await core.ReadNamespacedConfigMapAsync(name, "default");
        fresh.Data["k"] = "first";
        await core.ReplaceNamespacedConfigMapAsync(fresh, name, "default");

        original.Data["k"] = "second";
        var stale = () => core.ReplaceNamespacedConfigMapAsync(original, name, "default");

        (await stale.Should().ThrowAsync<HttpOperationException>()).Which.IsConflict().Should().BeTrue();
        var retried = await ConflictRetry.UpdateAsync(
            ct => core.ReadNamespacedConfigMapAsync(name, "default", cancellationToken: ct),
            m =>
            {
                m.Data["k"] = "second";
                return true;
            },
            (m, ct) => core.ReplaceNamespacedConfigMapAsync(m, name, "default", cancellationToken: ct));
        retried.Data["k"].Should().Be("second");
    }

    [Fact]
    public async Task Leadership_passes_to_the_second_candidate_when_the_first_stops()
    {
        using var client = Client(unixSocket: true);
        LeaderElection Candidate(string id, TaskCompletionSource<string> started) => new(client, new LeaderElectionOptions
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
        (await client.Api.CoordinationV1.ReadNamespacedLeaseAsync("handover", "default")).Spec.HolderIdentity.Should().Be("b");
        await stopB.CancelAsync();
        await runB;
    }
}
