using System.Collections.Concurrent;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using Raven.Kube.Models;
using Raven.TestSupport;
using k8s.Models;

namespace Raven.Kube.Tests.Client;

public sealed class InformerTests
{
    private static readonly InformerOptions Fast = new()
    {
        Namespace = "ns",
        InitialBackoff = TimeSpan.FromMilliseconds(5),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
        MinWatchDuration = TimeSpan.Zero,
    };

    private static (Informer<V1ConfigMap> Informer, ConcurrentQueue<string> Seen) Start(ScriptedWatchApi api, KubeClient client, InformerOptions? options = null)
    {
        var informer = new Informer<V1ConfigMap>(client, KubeResources.ConfigMaps, options ?? Fast);
        var seen = new ConcurrentQueue<string>();
        informer.AddHandler(new InformerHandler<V1ConfigMap>(
            OnAdd: cm => seen.Enqueue($"add {cm.Metadata.Name}@{cm.Metadata.ResourceVersion}"),
            OnUpdate: (old, cm) => seen.Enqueue($"update {cm.Metadata.Name}@{old.Metadata.ResourceVersion}->{cm.Metadata.ResourceVersion}"),
            OnDelete: cm => seen.Enqueue($"delete {cm.Metadata.Name}")));
        return (informer, seen);
    }

    [Fact]
    public async Task Expired_watch_relists_and_deletes_what_vanished_in_order()
    {
        var api = new ScriptedWatchApi();
        api.Lists.Add(ScriptedWatchApi.List("5", ("a", "2"), ("b", "3")));
        api.Lists.Add(ScriptedWatchApi.List("21", ("a", "7"), ("d", "20")));
        api.Watches.Add(
            ScriptedWatchApi.Line("ADDED", "c", "6")
            + ScriptedWatchApi.Line("MODIFIED", "a", "7")
            + ScriptedWatchApi.Line("DELETED", "b", "8")
            + """{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"9"}}}""" + "\n"
            + """{"type":"ERROR","object":{"kind":"Status","reason":"Expired","code":410,"message":"too old resource version"}}""" + "\n");
        using var client = TestClients.With(api.Handler());
        var (informer, seen) = Start(api, client);
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => api.WatchCount >= 2 && seen.Count >= 7, "relist and second watch");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        seen.Should().Equal("add a@2", "add b@3", "add c@6", "update a@2->7", "delete b", "add d@20", "delete c");
        informer.Store.List().Select(c => c.Metadata.Name).Order().Should().Equal("a", "d");
        informer.HasSynced.Should().BeTrue();
        var calls = api.Calls.ToList();
        calls[1].Should().Contain("resourceVersion=5").And.Contain("allowWatchBookmarks=true").And.Contain("/namespaces/ns/");
        calls[3].Should().Contain("watch=true").And.Contain("resourceVersion=21");
    }

    [Fact]
    public async Task A_closed_watch_resumes_from_the_last_version_without_relisting()
    {
        var api = new ScriptedWatchApi();
        api.Lists.Add(ScriptedWatchApi.List("5"));
        api.Watches.Add(ScriptedWatchApi.Line("ADDED", "c", "6")
            + """{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"12"}}}""" + "\n");
        using var client = TestClients.With(api.Handler());
        var (informer, seen) = Start(api, client);
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await Poll.UntilAsync(() => api.WatchCount >= 2, "second watch");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        api.ListCount.Should().Be(1);
        api.Calls.Last().Should().Contain("resourceVersion=12");
        seen.Should().Equal("add c@6");
    }

    [Fact]
    public async Task Failures_back_off_and_recover()
    {
        var api = new ScriptedWatchApi();
        api.Lists.Add(500);
        api.Lists.Add(ScriptedWatchApi.List("5", ("a", "1")));
        api.Watches.Add(503);
        using var client = TestClients.With(api.Handler());
        var (informer, seen) = Start(api, client);
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => api.WatchCount >= 2, "watch retried after failure");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        api.ListCount.Should().Be(2, "a failed watch reconnects without relisting");
        seen.Should().Equal("add a@1");
    }

    [Fact]
    public async Task A_throwing_handler_does_not_stop_the_others_and_resync_redelivers()
    {
        var api = new ScriptedWatchApi();
        api.Lists.Add(ScriptedWatchApi.List("5", ("a", "1")));
        using var client = TestClients.With(api.Handler());
        var (informer, seen) = Start(api, client, Fast with { ResyncPeriod = TimeSpan.FromMilliseconds(20) });
        informer.AddHandler(new InformerHandler<V1ConfigMap>(OnAdd: _ => throw new InvalidOperationException("bad subscriber")));
        var afterBad = new ConcurrentQueue<string>();
        informer.AddHandler(new InformerHandler<V1ConfigMap>(OnAdd: cm => afterBad.Enqueue(cm.Metadata.Name!)));
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await Poll.UntilAsync(() => seen.Contains("update a@1->1"), "a resync update");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        afterBad.Should().Equal("a");
        seen.First().Should().Be("add a@1");
    }

    [Fact]
    public void Store_indexes_by_namespace_and_custom_indexers()
    {
        var store = new InformerStore<V1ConfigMap>(KubeResources.ConfigMaps.KeyOf, KubeResources.ConfigMaps.NamespaceOf);
        store.AddIndexer("gateway", c => c.Metadata.Label("gw") is { } gw ? [gw] : []);
        V1ConfigMap Make(string ns, string name, string gw) => new() { Metadata = new() { NamespaceProperty = ns, Name = name, Labels = new Dictionary<string, string> { ["gw"] = gw } } };

        store.Upsert(Make("a", "x", "gw-1"));
        store.Upsert(Make("b", "x", "gw-1"));
        store.Upsert(Make("a", "y", "gw-2"));
        store.Upsert(Make("a", "x", "gw-2"));

        store.Get("a", "x")!.Metadata.Label("gw").Should().Be("gw-2");
        store.ByIndex(InformerStore<V1ConfigMap>.NamespaceIndex, "a").Should().HaveCount(2);
        store.ByIndex("gateway", "gw-1").Select(c => c.Metadata.NamespaceProperty).Should().Equal("b");
        store.ByIndex("gateway", "gw-2").Should().HaveCount(2);

        store.Remove("a/y");
        store.ByIndex("gateway", "gw-2").Select(c => c.Metadata.Name).Should().Equal("x");
        store.Keys().Order().Should().Equal("a/x", "b/x");
    }
}
