namespace Raven.ApiServer.Tests;

/// <summary>Every combination of odd bodies, methods and paths answers with JSON and a non-5xx code.</summary>
public class RobustnessTests
{
    private static readonly string[] Bodies =
    [
        "", "null", "42", "\"text\"", "[]", "{}", "{\"metadata\":null}", "{\"metadata\":[]}", "{\"metadata\":{\"name\":{}}}",
        "{\"apiVersion\":1,\"kind\":[]}", "{\"metadata\":{\"name\":\"x\",\"labels\":{\"a\":1}},\"spec\":\"s\",\"status\":7}",
        "{\"metadata\":{\"name\":\"x\",\"finalizers\":[1,{}]}}", "{\"metadata\":{\"name\":\"x\",\"ownerReferences\":\"o\"}}",
        "[{\"op\":\"move\",\"from\":\"/nope\",\"path\":\"/x\"}]", "{\"spec\":{\"versions\":\"v\"}}", "\u0000\u0001", "{\"a\":",
    ];

    private static readonly string[] Paths =
    [
        "/api/v1/namespaces/default/configmaps", "/api/v1/namespaces/default/configmaps/x", "/api/v1/nodes/x/status",
        "/api/v1/namespaces/default/services", "/api/v1/namespaces", "/api/v1/namespaces/default",
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "/apis/certificates.k8s.io/v1/certificatesigningrequests",
        "/apis/certificates.k8s.io/v1/certificatesigningrequests/x/approval", "/apis/coordination.k8s.io/v1/namespaces/default/leases",
        "/api/v1/namespaces/default/pods/x/status", "/apis", "/api/v1/watch/namespaces/default/configmaps/x?timeoutSeconds=1",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json",
        "application/vnd.kubernetes.protobuf",
    ];

    [Fact]
    public async Task Odd_requests_never_get_a_server_error()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync("/api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"x"}}""");
        await server.CreateAsync("/api/v1/namespaces/default/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""");
        var failures = new List<string>();
        foreach (var path in Paths)
        {
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
            {
                foreach (var body in Bodies)
                {
                    var type = ContentTypes[(body.Length + path.Length) % ContentTypes.Length];
                    using var request = new HttpRequestMessage(method, path)
                    {
                        Content = new StringContent(body, System.Text.Encoding.UTF8, method == HttpMethod.Patch ? type : "application/json"),
                    };
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    try
                    {
                        using var response = await server.Http.SendAsync(request, cts.Token);
                        var text = await response.Content.ReadAsStringAsync(cts.Token);
                        if ((int)response.StatusCode >= 500 || !text.TrimStart().StartsWith('{'))
                        {
                            failures.Add($"{method} {path} [{body}] -> {(int)response.StatusCode} {text}");
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        failures.Add($"{method} {path} [{body}] -> no answer within 5s");
                    }
                }
            }
        }

        failures.Should().BeEmpty();
        (await server.GetAsync("/api/v1/namespaces/kube-system")).Code.Should().Be(200, "namespaces have no deletecollection");
        (await server.GetAsync("/version")).Code.Should().Be(200, "the server still works afterwards");
    }
}
