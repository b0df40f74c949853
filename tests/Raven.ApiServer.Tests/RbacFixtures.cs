using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

/// <summary>RBAC objects and ServiceAccount tokens for the authorization tests.</summary>
internal static class RbacFixtures
{
    public const string AgentRbac = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: raven-agent, namespace: kube-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: raven-agent}
        rules:
        - apiGroups: [""]
          resources: [nodes]
          verbs: [get, list, watch]
        - apiGroups: [""]
          resources: [nodes/status]
          verbs: [patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: raven-agent}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: raven-agent}
        subjects:
        - {kind: ServiceAccount, name: raven-agent, namespace: kube-system}
        """;

    public static async Task CreateAsync(TestApiServer server, string collection, string yaml)
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, collection, yaml, "application/yaml");
        code.Should().Be(201, body.ToJsonString());
    }

    public static async Task ServiceAccountAsync(TestApiServer server, string ns, string name) =>
        await CreateAsync(server, $"/api/v1/namespaces/{ns}/serviceaccounts", $"apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: {name}}}\n");

    public static async Task<string> TokenAsync(TestApiServer server, string ns, string name, string spec = "{}")
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts/{name}/token",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{{{spec}}}}""");
        code.Should().Be(201, body.ToJsonString());
        return body["status"]!["token"]!.GetValue<string>();
    }

    /// <summary>Sends a request as the bearer of <paramref name="token"/>.</summary>
    public static async Task<(int Code, JsonObject Body)> AsAsync(TestApiServer server, string? token, HttpMethod method, string path, string? body = null,
        string contentType = "application/json", IDictionary<string, string>? headers = null, HttpClient? http = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await (http ?? server.Http).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject());
    }
}
