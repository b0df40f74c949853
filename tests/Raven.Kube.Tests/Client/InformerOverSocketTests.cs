using Microsoft.AspNetCore.Http;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using Raven.TestSupport;
using k8s.Models;

namespace Raven.Kube.Tests.Client;

/// <summary>An informer through the official client against a real HTTP server over a Unix socket: chunked watch streams, flushes, aborts.</summary>
public sealed class InformerOverSocketTests
{
    [Fact]
    public async Task Streamed_events_arrive_while_the_watch_stays_open_and_cancel_ends_it()
    {
        using var dir = new TempDir();
        var socket = Path.Combine(dir.Path, "api.sock");
        var watchAborted = new TaskCompletionSource();
        await using var server = await TestServer.StartAsync(o => o.ListenUnixSocket(socket), async context =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Query["watch"] != "true")
            {
                await context.Response.WriteAsync("""{"metadata":{"resourceVersion":"10"},"items":[{"metadata":{"name":"n1","resourceVersion":"9"}}]}""");
                return;
            }

            // Half an event, a flush, then the rest: the client must reassemble the line.
            await context.Response.WriteAsync("""{"type":"ADDED","object":{"metadata":{"name":"n2",""");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync(""" "resourceVersion":"11"}}}""" + "\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                watchAborted.TrySetResult();
            }
        });
        using var client = KubeClient.ForServer("unix://" + socket);
        var informer = new Informer<V1Node>(client, KubeResources.Nodes);
        var added = new System.Collections.Concurrent.ConcurrentQueue<string>();
        informer.AddHandler(new InformerHandler<V1Node>(OnAdd: n => added.Enqueue(n.Metadata.Name!)));
        using var stop = new CancellationTokenSource();

        var run = informer.RunAsync(stop.Token);
        await Poll.UntilAsync(() => added.Count == 2, "list item and streamed item delivered");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        await watchAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        added.Should().Equal("n1", "n2");
        informer.LastResourceVersion.Should().Be("11");
        informer.Store.Get(null, "n2").Should().NotBeNull();
    }
}
