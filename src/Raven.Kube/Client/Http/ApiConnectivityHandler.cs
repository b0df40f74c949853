namespace Raven.Kube.Client.Http;

/// <summary>
/// Sits in the official client's HTTP pipeline: every response (any status) marks the API server as reached, every
/// transport failure or timeout as not reached (<see cref="ApiConnectivity"/>). A failure is re-thrown with the
/// server and path as the operator configured them ("GET unix:///run/raven/api.sock/api/v1/nodes: Connection
/// refused"), since the transport names only host:port. Response headers must arrive within the request timeout; the
/// body of a watch may then stream for as long as it likes.
/// </summary>
public sealed class ApiConnectivityHandler(ApiConnectivity connectivity, string server, TimeSpan headersTimeout) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(headersTimeout);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            var message = $"{Describe(request)}: {e.Message}";
            connectivity.Failed(message);
            throw new HttpRequestException(e.HttpRequestError, message, e, e.StatusCode);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var message = $"{Describe(request)}: no response within {headersTimeout.TotalSeconds:0.#}s";
            connectivity.Failed(message);
            throw new TimeoutException(message, e);
        }

        connectivity.Reached();
        return response;
    }

    private string Describe(HttpRequestMessage request) => $"{request.Method} {server}{request.RequestUri?.PathAndQuery}";
}
