using System.Net;
using k8s;
using k8s.Models;
using Raven.Api;
using Raven.Api.Meta;
using Raven.Kube.Client;

namespace Raven.Kube.Tests.Client;

public sealed class EventRecorderTests
{
    [Fact]
    public async Task Events_about_cluster_scoped_objects_go_to_default()
    {
        var handler = new FakeHandler((_, body) => Task.FromResult(FakeHandler.Json(HttpStatusCode.Created, body!)));
        var time = new ManualTime();
        using var client = TestClients.With(handler, time);
        var recorder = new EventRecorder(client, "raven-controller", "node-1");
        var gateway = EventRecorder.Reference(WellKnown.ApiVersionV1Beta1, WellKnown.GatewayKind, new ObjectMeta { Name = "gw-a", Uid = "u1" });

        var error = await recorder.RecordAsync(gateway, EventRecorder.TypeNormal, WellKnown.EventActiveEndpointElected, "node-1 elected");

        error.Should().BeNull();
        var request = handler.Requests.Single();
        request.PathAndQuery.Should().Be("/api/v1/namespaces/default/events");
        var sent = KubernetesJson.Deserialize<Corev1Event>(request.Body!);
        sent.InvolvedObject.Name.Should().Be("gw-a");
        sent.InvolvedObject.Kind.Should().Be("Gateway");
        sent.Reason.Should().Be("ActiveEndpointElected");
        sent.Metadata.Name.Should().StartWith("gw-a.");
        sent.LastTimestamp.Should().Be(time.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public async Task Failures_are_returned_not_thrown()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.Forbidden, "{}")));
        using var client = TestClients.With(handler);
        var recorder = new EventRecorder(client, "raven-controller");

        var error = await recorder.RecordAsync(new V1ObjectReference { Name = "n1", Kind = "Node" }, EventRecorder.TypeWarning, "Broken", "x");

        error.Should().NotBeNull();
        error!.IsUnauthorized().Should().BeTrue();
    }
}
