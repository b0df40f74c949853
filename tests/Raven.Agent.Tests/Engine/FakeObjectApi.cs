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
internal sealed class FakeObjectApi : DelegatingHandler
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

    /// <summary>Answers by itself (the client's own transport is never reached), as a transport would: with the request attached.</summary>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await RespondAsync(request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    private async Task<HttpResponseMessage> RespondAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Objects)
        {
            if (request.Method == HttpMethod.Get && request.RequestUri.Query.Contains("watch=true", StringComparison.Ordinal))
            {
                // A watch that stays open and quiet until the client goes away.
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SilentStream()) };
            }

            if (request.Method == HttpMethod.Get && path.Split('/')[^1] is "gateways" or "configmaps" or "services")
            {
                var items = Objects.Where(o => o.Key.StartsWith(path + "/", StringComparison.Ordinal)).Select(o => o.Value.ToJsonString());
                return Json(HttpStatusCode.OK, $$"""{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"{{_version}}"},"items":[{{string.Join(",", items)}}]}""");
            }

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

    private sealed class SilentStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
