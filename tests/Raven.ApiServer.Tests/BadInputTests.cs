namespace Raven.ApiServer.Tests;

/// <summary>Malformed or misdirected requests get a Status with the right code, never a 500 or a hang.</summary>
public class BadInputTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Theory]
    [InlineData("POST", ConfigMaps, "{not json", 400)]
    [InlineData("POST", ConfigMaps, "[1,2]", 400)]
    [InlineData("POST", ConfigMaps, """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}""", 400)]
    [InlineData("POST", ConfigMaps, """{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}""", 400)]
    [InlineData("POST", ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}""", 422)]
    [InlineData("POST", ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}""", 422)]
    [InlineData("POST", ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"other"}}""", 400)]
    [InlineData("POST", "/api/v1/namespaces/missing/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""", 404)]
    [InlineData("POST", "/api/v1/namespaces/default/widgets", """{}""", 404)]
    [InlineData("POST", "/api/v1/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""", 404)]
    [InlineData("POST", "/api/v1/namespaces/default/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"x"}}""", 404)]
    [InlineData("POST", ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":5}}""", 422)]
    [InlineData("POST", ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":"x"}""", 400)]
    [InlineData("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", """{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"x.y"},"spec":{}}""", 422)]
    [InlineData("GET", "/apis/nope.example/v1/things", null, 404)]
    [InlineData("GET", "/api/v1/namespaces/default/configmaps/x/status", null, 404)]
    [InlineData("GET", "/api/v1/namespaces/default/nodes/x", null, 404)]
    [InlineData("GET", ConfigMaps + "?labelSelector=a%20in%20(b", null, 400)]
    [InlineData("GET", ConfigMaps + "?labelSelector=%3D%3Db", null, 400)]
    [InlineData("GET", ConfigMaps + "?fieldSelector=spec.nodeName%3Dx", null, 400)]
    [InlineData("GET", ConfigMaps + "?limit=abc", null, 400)]
    [InlineData("GET", ConfigMaps + "?continue=%21%21", null, 400)]
    [InlineData("PUT", ConfigMaps, "{}", 405)]
    [InlineData("POST", "/api/v1", "{}", 405)]
    [InlineData("GET", ConfigMaps + "/missing", null, 404)]
    [InlineData("DELETE", ConfigMaps + "/missing", null, 404)]
    public async Task Bad_requests_get_a_status_with_the_right_code(string method, string path, string? body, int expected)
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, status) = await server.SendAsync(new HttpMethod(method), path, body);
        code.Should().Be(expected, status.ToJsonString());
        status["kind"]!.GetValue<string>().Should().Be("Status");
        status["code"]!.GetValue<int>().Should().Be(expected);
    }

    [Fact]
    public async Task Bad_patches_and_name_mismatch_are_rejected()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync(ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}""");
        (await server.PatchAsync(ConfigMaps + "/a", "{}", "application/apply-patch+yaml")).Code.Should().Be(422, "apply needs a fieldManager");
        (await server.PatchAsync(ConfigMaps + "/a", "{}", "application/cbor")).Code.Should().Be(415);
        (await server.PatchAsync(ConfigMaps + "/a", """{"op":"add"}""", "application/json-patch+json")).Code.Should().Be(400);
        (await server.PatchAsync(ConfigMaps + "/a", """[{"op":"remove","path":"/nope/x"}]""", "application/json-patch+json")).Code.Should().Be(422);
        (await server.PatchAsync(ConfigMaps + "/a", "{oops", "application/merge-patch+json")).Code.Should().Be(400);
        (await server.SendAsync(HttpMethod.Put, ConfigMaps + "/a", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}""")).Code.Should().Be(400);
        (await server.SendAsync(HttpMethod.Post, ConfigMaps, "{}", "text/plain")).Code.Should().Be(415);
    }

    [Fact]
    public async Task Protobuf_accept_header_still_gets_json()
    {
        await using var server = await TestApiServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default");
        request.Headers.Accept.ParseAdd("application/vnd.kubernetes.protobuf");
        using var response = await server.Http.SendAsync(request);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"kind\":\"Namespace\"");
    }
}
