using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.Agent.Tests.Engine;

/// <summary>
/// A tiny API server for single objects: GET, POST and PUT with resourceVersion checks. <see cref="InterferingWrites"/>
/// simulates another writer: that many PUTs find the object changed underneath and get 409 Conflict.
/// </summary>
internal sealed class FakeObjectApi : HttpMessageHandler
{
    private int _version = 1;

    public ConcurrentDictionary<string, JsonObject> Objects { get; } = new(StringComparer.Ordinal);

    public int InterferingWrites { get; set; }

    public int Puts { get; private set; }

    public void Put(string path, string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        Stamp(node);
        Objects[path] = node;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Objects)
        {
            if (request.Method == HttpMethod.Get)
            {
                return Objects.TryGetValue(path, out var found) ? Json(HttpStatusCode.OK, found.ToJsonString()) : Status(HttpStatusCode.NotFound, "NotFound");
            }

            var sent = JsonNode.Parse(body!)!.AsObject();
            if (request.Method == HttpMethod.Post)
            {
                var name = sent["metadata"]!["name"]!.GetValue<string>();
                Stamp(sent);
                Objects[$"{path}/{name}"] = sent;
                return Json(HttpStatusCode.Created, sent.ToJsonString());
            }

            Puts++;
            if (!Objects.TryGetValue(path, out var current))
            {
                return Status(HttpStatusCode.NotFound, "NotFound");
            }

            if (InterferingWrites > 0)
            {
                InterferingWrites--;
                Stamp(current);
                return Status(HttpStatusCode.Conflict, "Conflict");
            }

            if (sent["metadata"]?["resourceVersion"]?.GetValue<string>() != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                return Status(HttpStatusCode.Conflict, "Conflict");
            }

            Stamp(sent);
            Objects[path] = sent;
            return Json(HttpStatusCode.OK, sent.ToJsonString());
        }
    }

    private void Stamp(JsonObject node)
    {
        var metadata = node["metadata"]!.AsObject();
        metadata["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
    }

    private static HttpResponseMessage Json(HttpStatusCode code, string body) =>
        new(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Status(HttpStatusCode code, string reason) =>
        Json(code, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"{{reason}}","code":{{(int)code}},"message":"{{reason}}"}""");
}
