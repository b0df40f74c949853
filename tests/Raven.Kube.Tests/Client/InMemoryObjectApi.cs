using System.Net;
using System.Text.Json.Nodes;

namespace Raven.Kube.Tests.Client;

/// <summary>
/// A minimal API server for single objects: GET/POST/PUT/DELETE with resourceVersion checks (409 on stale
/// updates, AlreadyExists on duplicate creates). Enough for leases; not for lists or watches.
/// </summary>
internal sealed class InMemoryObjectApi
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private long _version = 100;

    /// <summary>While set, every request fails with 500 (a sick API server).</summary>
    public bool Failing { get; set; }

    public FakeHandler Handler() => new((request, body) => Task.FromResult(Respond(request, body)));

    public JsonObject? Get(string path)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(path, out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    private HttpResponseMessage Respond(HttpRequestMessage request, string? body)
    {
        if (Failing)
        {
            return Status(HttpStatusCode.InternalServerError, "InternalError");
        }

        var path = request.RequestUri!.AbsolutePath;
        lock (_gate)
        {
            if (request.Method == HttpMethod.Get)
            {
                return _objects.TryGetValue(path, out var found) ? Ok(found) : Status(HttpStatusCode.NotFound, "NotFound");
            }

            if (request.Method == HttpMethod.Post)
            {
                var item = JsonNode.Parse(body!)!.AsObject();
                var key = path + "/" + (string)item["metadata"]!["name"]!;
                if (_objects.ContainsKey(key))
                {
                    return Status(HttpStatusCode.Conflict, "AlreadyExists");
                }

                return Store(key, item, HttpStatusCode.Created);
            }

            if (request.Method == HttpMethod.Put)
            {
                var item = JsonNode.Parse(body!)!.AsObject();
                if (!_objects.TryGetValue(path, out var current))
                {
                    return Status(HttpStatusCode.NotFound, "NotFound");
                }

                var sent = (string?)item["metadata"]?["resourceVersion"];
                if (sent != (string?)current["metadata"]!["resourceVersion"])
                {
                    return Status(HttpStatusCode.Conflict, "Conflict");
                }

                return Store(path, item, HttpStatusCode.OK);
            }

            return _objects.Remove(path) ? Status(HttpStatusCode.OK, "") : Status(HttpStatusCode.NotFound, "NotFound");
        }
    }

    private HttpResponseMessage Store(string key, JsonObject item, HttpStatusCode code)
    {
        item["metadata"]!["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objects[key] = item;
        return FakeHandler.Json(code, item.ToJsonString());
    }

    private static HttpResponseMessage Ok(JsonObject item) => FakeHandler.Json(HttpStatusCode.OK, item.ToJsonString());

    private static HttpResponseMessage Status(HttpStatusCode code, string reason) =>
        FakeHandler.Json(code, $$"""{"kind":"Status","apiVersion":"v1","reason":"{{reason}}","code":{{(int)code}},"message":"{{reason}}"}""");
}
