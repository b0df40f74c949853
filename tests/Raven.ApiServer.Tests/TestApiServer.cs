using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Raven.ApiServer;

namespace Raven.ApiServer.Tests;

/// <summary>An embedded server on 127.0.0.1:0 with a raw JSON HTTP client and a temp directory, disposed by the test.</summary>
internal sealed class TestApiServer : IAsyncDisposable
{
    private readonly HttpClient _http;

    private TestApiServer(EmbeddedApiServer server, string dir, HttpClient http)
    {
        Server = server;
        Dir = dir;
        _http = http;
    }

    public EmbeddedApiServer Server { get; }

    public string Dir { get; }

    public static async Task<TestApiServer> StartAsync(Action<EmbeddedApiServerOptions>? configure = null, string? dir = null)
    {
        dir ??= Directory.CreateTempSubdirectory("rvt-apiserver-").FullName;
        var options = new EmbeddedApiServerOptions();
        configure?.Invoke(options);
        var server = new EmbeddedApiServer(options);
        await server.StartAsync();
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && server.CertificateAuthority.Issued(cert),
        };
        var http = new HttpClient(handler) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        if (server.Token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
        return new TestApiServer(server, dir, http);
    }

    public HttpClient Http => _http;

    public async Task<(int Code, JsonObject Body)> SendAsync(HttpMethod method, string path, string? body = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
        return ((int)response.StatusCode, json);
    }

    public Task<(int Code, JsonObject Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(int Code, JsonObject Body)> PostAsync(string path, JsonObject body) => SendAsync(HttpMethod.Post, path, body.ToJsonString());

    public Task<(int Code, JsonObject Body)> PutAsync(string path, JsonObject body) => SendAsync(HttpMethod.Put, path, body.ToJsonString());

    public Task<(int Code, JsonObject Body)> PatchAsync(string path, string patch, string type = "application/merge-patch+json") =>
        SendAsync(HttpMethod.Patch, path, patch, type);

    public Task<(int Code, JsonObject Body)> DeleteAsync(string path, string? body = null) => SendAsync(HttpMethod.Delete, path, body);

    /// <summary>Creates an object and fails the test unless the server answers 201.</summary>
    public async Task<JsonObject> CreateAsync(string path, string json)
    {
        var (code, body) = await SendAsync(HttpMethod.Post, path, json);
        code.Should().Be(201, body.ToJsonString());
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl cache file may still be closing; the temp directory is harmless.
        }
    }
}
