namespace Raven.Kube.Client.Http;

/// <summary>Client-side QPS/burst (client-go's flowcontrol) in the official client's HTTP pipeline: each request waits for a token.</summary>
public sealed class RateLimitHandler(TokenBucket bucket) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await bucket.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
