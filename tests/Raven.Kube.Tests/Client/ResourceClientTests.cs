using System.Net;
using Raven.Api.Meta;
using Raven.Kube.Client;
using Raven.Kube.Client.Config;
using Raven.Kube.Models;

namespace Raven.Kube.Tests.Client;

public sealed class ResourceClientTests
{
    private const string ConfigMapJson =
        """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raven-cfg","namespace":"kube-system","resourceVersion":"7"},"data":{"enable-l3-tunnel":"true"}}""";

    private static string NotFound => """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"not found"}""";

    [Fact]
    public async Task Get_sends_credentials_and_user_agent_and_decodes()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, ConfigMapJson)));
        using var client = TestClients.With(handler, token: new StaticTokenSource("s3cret"));

        var cm = await client.GetAsync<ConfigMap>("raven-cfg", "kube-system");

        cm.Value("enable-l3-tunnel").Should().Be("true");
        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Get);
        request.Uri.Should().Be(new Uri("https://203.0.113.10:6443/api/v1/namespaces/kube-system/configmaps/raven-cfg"));
        request.Authorization.Should().Be("Bearer s3cret");
        request.UserAgent.Should().StartWith("raven/").And.NotContain("+");
    }

    [Fact]
    public async Task TryGet_returns_null_for_not_found_and_Get_throws_typed()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.NotFound, NotFound)));
        using var client = TestClients.With(handler);
        var nodes = client.Resource<Node>();

        (await nodes.TryGetAsync("n1")).Should().BeNull();
        var act = () => nodes.GetAsync("n1");
        await act.Should().ThrowAsync<KubeNotFoundException>();
    }

    [Fact]
    public async Task Update_with_a_stale_version_throws_conflict()
    {
        var conflict = """{"kind":"Status","status":"Failure","reason":"Conflict","code":409,"message":"the object has been modified"}""";
        var handler = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.Conflict, conflict)));
        using var client = TestClients.With(handler);
        var cm = new ConfigMap { Metadata = new ObjectMeta { Name = "raven-cfg", Namespace = "kube-system", ResourceVersion = "1" } };

        var act = () => client.Resource<ConfigMap>().UpdateAsync(cm);

        await act.Should().ThrowAsync<KubeConflictException>();
        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Put);
        request.Body.Should().Contain("\"resourceVersion\":\"1\"");
    }

    [Theory]
    [InlineData(PatchType.Merge, "application/merge-patch+json")]
    [InlineData(PatchType.StrategicMerge, "application/strategic-merge-patch+json")]
    [InlineData(PatchType.Json, "application/json-patch+json")]
    public async Task Patches_carry_their_content_type(PatchType type, string contentType)
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, """{"metadata":{"name":"gw-a"}}""")));
        using var client = TestClients.With(handler);

        await client.Resource<Api.V1Beta1.Gateway>().PatchStatusAsync("gw-a", null, type, "{}");

        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Patch);
        request.ContentType.Should().Be(contentType);
        request.PathAndQuery.Should().Be("/apis/raven.openyurt.io/v1beta1/gateways/gw-a/status");
    }

    [Fact]
    public async Task Create_posts_to_the_collection_and_update_status_puts_the_subresource()
    {
        var handler = new FakeHandler((_, body) => Task.FromResult(FakeHandler.Json(HttpStatusCode.Created, body!)));
        using var client = TestClients.With(handler);
        var csr = new CertificateSigningRequest
        {
            Metadata = new ObjectMeta { Name = "csr-1" },
            Spec = { Request = "PEM"u8.ToArray(), SignerName = CertificateSigningRequest.SignerKubeletServing, Usages = ["server auth"] },
        };

        var created = await client.Resource<CertificateSigningRequest>().CreateAsync(csr);
        await client.Resource<CertificateSigningRequest>().UpdateStatusAsync(created);

        handler.Requests.Select(r => $"{r.Method} {r.PathAndQuery}").Should().Equal(
            "POST /apis/certificates.k8s.io/v1/certificatesigningrequests",
            "PUT /apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1/status");
        handler.Requests.First().Body.Should().Contain("\"request\":\"UEVN\"");
        created.Spec.Request.Should().Equal("PEM"u8.ToArray());
    }

    [Fact]
    public async Task Delete_sends_preconditions()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, """{"kind":"Status","status":"Success"}""")));
        using var client = TestClients.With(handler);

        await client.Resource<Service>().DeleteAsync("svc", "kube-system", new DeleteOptions
        {
            Preconditions = new Preconditions { Uid = "u-1", ResourceVersion = "9" },
        });

        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Delete);
        request.Body.Should().Contain("\"preconditions\":{\"uid\":\"u-1\",\"resourceVersion\":\"9\"}");
    }

    [Fact]
    public async Task ListAll_follows_continue_tokens()
    {
        var handler = new FakeHandler((request, _) =>
        {
            var page = request.RequestUri!.Query.Contains("continue=t1", StringComparison.Ordinal)
                ? """{"metadata":{"resourceVersion":"99"},"items":[{"metadata":{"name":"n3"}}]}"""
                : """{"metadata":{"resourceVersion":"50","continue":"t1"},"items":[{"metadata":{"name":"n1"}},{"metadata":{"name":"n2"}}]}""";
            return Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, page));
        });
        using var client = TestClients.With(handler);

        var list = await client.Resource<Node>().ListAllAsync(options: new ListOptions { Limit = 2, LabelSelector = "a=b" });

        list.Items.Select(n => n.Metadata.Name).Should().Equal("n1", "n2", "n3");
        list.Metadata.ResourceVersion.Should().Be("50");
        list.Metadata.Continue.Should().BeNull();
        handler.Requests.Select(r => r.PathAndQuery).Should().Equal(
            "/api/v1/nodes?labelSelector=a%3Db&limit=2",
            "/api/v1/nodes?labelSelector=a%3Db&limit=2&continue=t1");
    }

    [Fact]
    public async Task Watch_error_events_and_gone_responses_surface_as_expired()
    {
        var stream = """{"type":"ADDED","object":{"metadata":{"name":"n1","resourceVersion":"3"}}}""" + "\n"
            + """{"type":"ERROR","object":{"kind":"Status","reason":"Expired","code":410,"message":"too old"}}""" + "\n";
        var handler = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, stream)));
        using var client = TestClients.With(handler);
        var seen = new List<string?>();

        var act = async () =>
        {
            await foreach (var e in client.Resource<Node>().WatchAsync(null, new ListOptions { ResourceVersion = "1" }))
            {
                seen.Add(e.Object!.Metadata.Name);
            }
        };

        await act.Should().ThrowAsync<KubeExpiredException>();
        seen.Should().Equal("n1");

        var gone = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.Gone, "")));
        using var goneClient = TestClients.With(gone);
        var open = async () =>
        {
            await foreach (var e in goneClient.Resource<Node>().WatchAsync(null, new ListOptions { ResourceVersion = "1" }))
            {
                seen.Add(e.Object!.Metadata.Name);
            }
        };
        await open.Should().ThrowAsync<KubeExpiredException>();
    }

    [Fact]
    public async Task A_request_without_an_answer_times_out()
    {
        var handler = new FakeHandler(async (_, _) =>
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            return FakeHandler.Json(HttpStatusCode.OK, "{}");
        });
        using var client = new KubeClient(
            new KubeClientConfig { Server = new Uri("https://203.0.113.10"), RequestTimeout = TimeSpan.FromMilliseconds(50), Qps = 0 }, handler);

        var act = () => client.Resource<Node>().GetAsync("n1");

        await act.Should().ThrowAsync<TimeoutException>().WithMessage("GET https://203.0.113.10/api/v1/nodes/n1: no complete response within*");
        client.Connectivity.UnreachableSince.Should().NotBeNull();
    }

    [Fact]
    public async Task A_transport_failure_names_the_server_and_request_and_marks_the_server_unreachable_until_it_answers()
    {
        var refuse = true;
        var handler = new FakeHandler((_, _) => refuse
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (localhost:80)")
            : Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, ConfigMapJson)));
        using var client = new KubeClient(new KubeClientConfig { Server = new Uri("unix:///run/raven/api.sock"), Qps = 0 }, handler);
        var changes = new List<bool>();
        client.Connectivity.Changed += changes.Add;

        var act = () => client.GetAsync<ConfigMap>("raven-cfg", "kube-system");

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.Message
            .Should().Be("GET unix:///run/raven/api.sock/api/v1/namespaces/kube-system/configmaps/raven-cfg: Connection refused (localhost:80)");
        client.Connectivity.ReachableSince.Should().BeNull();
        refuse = false;
        await client.GetAsync<ConfigMap>("raven-cfg", "kube-system");
        client.Connectivity.ReachableSince.Should().NotBeNull();
        client.Connectivity.UnreachableSince.Should().BeNull();
        changes.Should().Equal(false, true);
    }
}
