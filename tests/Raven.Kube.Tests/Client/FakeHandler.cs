using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Raven.Kube.Tests.Client;

/// <summary>
/// The innermost handler of a client's pipeline that records requests and answers from a test-supplied function, so
/// the official client runs end to end (serialisation, watch decoding, our handlers) without a network.
/// </summary>
internal sealed class FakeHandler(Func<HttpRequestMessage, string?, Task<HttpResponseMessage>> respond) : DelegatingHandler
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static HttpResponseMessage Json(HttpStatusCode code, string body) =>
        new(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new RecordedRequest(
            request.Method,
            request.RequestUri!,
            body,
            request.Content?.Headers.ContentType?.MediaType,
            request.Headers.Authorization?.ToString(),
            request.Headers.UserAgent.ToString()));
        var response = await respond(request, body).WaitAsync(cancellationToken);
        response.RequestMessage = request; // as a transport does; the client reads the request back from it
        return response;
    }
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Body, string? ContentType, string? Authorization, string UserAgent)
{
    public string PathAndQuery => Uri.PathAndQuery;
}
