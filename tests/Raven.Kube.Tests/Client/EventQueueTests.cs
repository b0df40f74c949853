using System.Net;
using k8s;
using k8s.Models;
using Raven.Kube.Client;
using Raven.TestSupport;

namespace Raven.Kube.Tests.Client;

public sealed class EventQueueTests
{
    private static V1ObjectReference Gateway(string name) => new() { ApiVersion = "raven.openyurt.io/v1beta1", Kind = "Gateway", Name = name };

    [Fact]
    public async Task Posted_events_reach_the_api_server_in_order_stamped_when_they_were_posted()
    {
        var handler = new FakeHandler((_, body) => Task.FromResult(FakeHandler.Json(HttpStatusCode.Created, body!)));
        var time = new ManualTime();
        using var client = TestClients.With(handler, time);
        var queue = new EventQueue(new EventRecorder(client, "raven-controller"), new CollectingLogger("events"));
        var posted = time.GetUtcNow().UtcDateTime;
        queue.Post(Gateway("gw-a"), EventRecorder.TypeNormal, "First", "one");
        queue.Post(Gateway("gw-b"), EventRecorder.TypeWarning, "Second", "two");
        time.Advance(TimeSpan.FromMinutes(5));

        using var stop = new CancellationTokenSource();
        var pump = queue.RunAsync(stop.Token);
        await Poll.UntilAsync(() => handler.Requests.Count == 2, "both events written", TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await pump;

        var sent = handler.Requests.Select(r => KubernetesJson.Deserialize<Corev1Event>(r.Body!)).ToList();
        sent.Select(e => e.Reason).Should().Equal("First", "Second");
        sent.Should().OnlyContain(e => e.LastTimestamp == posted, "an event carries the time it happened, not the time it was written");
    }

    [Fact]
    public async Task A_full_queue_drops_new_events_and_says_how_many_once_it_drains()
    {
        var handler = new FakeHandler((_, body) => Task.FromResult(FakeHandler.Json(HttpStatusCode.Created, body!)));
        using var client = TestClients.With(handler);
        var logger = new CollectingLogger("events");
        var queue = new EventQueue(new EventRecorder(client, "raven-controller"), logger, capacity: 2);
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            queue.Post(Gateway(name), EventRecorder.TypeNormal, "Elected", name);
        }

        using var stop = new CancellationTokenSource();
        var pump = queue.RunAsync(stop.Token);
        await Poll.UntilAsync(() => logger.Lines.Any(l => l.Contains("dropped 2 event(s)", StringComparison.Ordinal)), "the drop reported", TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await pump;

        handler.Requests.Select(r => KubernetesJson.Deserialize<Corev1Event>(r.Body!).InvolvedObject.Name).Should().Equal("a", "b");
    }

    [Fact]
    public async Task A_refused_event_is_one_warning_line_and_the_next_is_still_written()
    {
        var calls = 0;
        var handler = new FakeHandler((_, body) => Task.FromResult(Interlocked.Increment(ref calls) == 1
            ? FakeHandler.Json(HttpStatusCode.Forbidden, "{}")
            : FakeHandler.Json(HttpStatusCode.Created, body!)));
        using var client = TestClients.With(handler);
        var logger = new CollectingLogger("events");
        var queue = new EventQueue(new EventRecorder(client, "raven-controller"), logger);
        queue.Post(Gateway("gw-a"), EventRecorder.TypeNormal, "Refused", "one");
        queue.Post(Gateway("gw-b"), EventRecorder.TypeNormal, "Written", "two");

        using var stop = new CancellationTokenSource();
        var pump = queue.RunAsync(stop.Token);
        await Poll.UntilAsync(() => handler.Requests.Count == 2, "both events tried", TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await pump;

        logger.Lines.Where(l => l.Contains("could not record event Refused on Gateway gw-a", StringComparison.Ordinal)).Should().ContainSingle();
    }
}
