using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Raven.Kube.Client;

namespace Raven.Kube.Tests.Client;

/// <summary>Reading the official client's refusals, as the server sends them (through a real client call).</summary>
public sealed class KubeErrorsTests
{
    private static async Task<Exception> RefusalAsync(HttpStatusCode code, string body)
    {
        using var client = TestClients.With(new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(code, body))));
        var act = () => client.Api.CoreV1.ReadNamespacedConfigMapAsync("raven-cfg", "kube-system");
        return (await act.Should().ThrowAsync<HttpOperationException>()).Which;
    }

    private static string Status(int code, string reason, string message, string causes = "") =>
        $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","code":{{code}},"reason":"{{reason}}","message":"{{message}}"{{causes}}}""";

    [Fact]
    public async Task Not_found_conflict_and_already_exists_are_told_apart()
    {
        var notFound = await RefusalAsync(HttpStatusCode.NotFound, Status(404, "NotFound", "configmaps raven-cfg not found"));
        var conflict = await RefusalAsync(HttpStatusCode.Conflict, Status(409, "Conflict", "the object has been modified"));
        var exists = await RefusalAsync(HttpStatusCode.Conflict, Status(409, "AlreadyExists", "already exists"));

        (notFound.IsNotFound(), notFound.IsConflict()).Should().Be((true, false));
        (conflict.IsConflict(), conflict.IsAlreadyExists()).Should().Be((true, false));
        (exists.IsConflict(), exists.IsAlreadyExists()).Should().Be((false, true));
    }

    [Fact]
    public async Task Gone_and_expired_mean_relist_also_from_a_watch_error_event()
    {
        (await RefusalAsync(HttpStatusCode.Gone, "")).IsExpired().Should().BeTrue();
        new KubernetesException(new V1Status { Code = 410, Reason = "Expired" }).IsExpired().Should().BeTrue();
        new KubernetesException(new V1Status { Code = 500, Reason = "InternalError" }).IsExpired().Should().BeFalse();
    }

    [Fact]
    public async Task Described_in_one_line_with_the_request_the_status_and_the_field_causes()
    {
        var invalid = await RefusalAsync(HttpStatusCode.UnprocessableEntity, Status(422, "Invalid", "Gateway gw is invalid",
            ""","details":{"causes":[{"field":"spec.endpoints[0].port","message":"must be 1-65535"}]}"""));

        KubeErrors.Describe(invalid).Should().Be(
            "GET https://203.0.113.10:6443/api/v1/namespaces/kube-system/configmaps/raven-cfg: 422 Invalid: Gateway gw is invalid [spec.endpoints[0].port: must be 1-65535]");
        KubeErrors.Describe(await RefusalAsync(HttpStatusCode.BadGateway, "upstream down")).Should().EndWith(": 502 BadGateway: upstream down");
    }

    [Fact]
    public async Task Not_found_can_be_read_as_null()
    {
        using var client = TestClients.With(new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.NotFound, Status(404, "NotFound", "gone")))));

        (await client.Api.CoreV1.ReadNamespacedConfigMapAsync("x", "y").NullIfNotFound()).Should().BeNull();
    }
}
