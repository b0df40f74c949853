using System.Net.Http.Headers;
using System.Text;
using Raven.Kube.Client.Config;
using Raven.Kube.Client.Http;

namespace Raven.Kube.Client;

/// <summary>
/// One connection to one API server: authentication, rate limit, per-request timeout and error mapping.
/// Typed verbs live on <see cref="ResourceClient{T}"/>, obtained from <see cref="Resource{T}()"/>.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TokenBucket? _limiter;

    /// <param name="config">Where and who; see <see cref="KubeConfigResolver"/>.</param>
    /// <param name="handler">Transport override (tests); by default one is built from <paramref name="config"/>.</param>
    /// <param name="time">Clock for the rate limiter and timeouts.</param>
    public KubeClient(KubeClientConfig config, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Time = time ?? TimeProvider.System;
        _http = new HttpClient(handler ?? KubeHttpHandler.Create(config), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _limiter = config.Qps > 0 ? new TokenBucket(config.Qps, Math.Max(1, config.Burst), Time) : null;
        Connectivity = new ApiConnectivity(Time);
    }

    /// <summary>Whether the API server has been answering this client's requests, and since when.</summary>
    public ApiConnectivity Connectivity { get; }

    /// <summary>The server as an operator configured it (https://host:port or unix:///path), for messages.</summary>
    public string ServerDisplay => Config.UnixSocketPath is { } socket ? "unix://" + socket : Config.BaseAddress;

    public KubeClientConfig Config { get; }

    public TimeProvider Time { get; }

    /// <summary>Resolves the configuration (--kubeconfig, $KUBECONFIG, in-cluster, ~/.kube/config) and connects.</summary>
    public static KubeClient Create(string? kubeconfigPath = null, string? context = null) =>
        new(KubeConfigResolver.ResolveDefault(kubeconfigPath, context));

    /// <summary>Verbs for a registered model type (see <see cref="KubeResources"/>).</summary>
    public ResourceClient<T> Resource<T>()
        where T : class => new(this, KubeResources.For<T>());

    public ResourceClient<T> Resource<T>(ResourceDescriptor<T> descriptor)
        where T : class => new(this, descriptor);

    public Task<T> GetAsync<T>(string name, string? ns = null, CancellationToken cancellationToken = default)
        where T : class => Resource<T>().GetAsync(name, ns, cancellationToken);

    /// <summary>Sends a request and returns the body of a 2xx response; anything else throws a typed <see cref="KubeApiException"/>.</summary>
    public async Task<string> SendAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content = null, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Config.RequestTimeout);
        try
        {
            using var response = await SendCoreAsync(method, pathAndQuery, content, HttpCompletionOption.ResponseContentRead, timeout.Token)
                .ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? body : throw KubeErrors.FromResponse(response.StatusCode, body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var message = $"{method} {ServerDisplay}{pathAndQuery}: no complete response within {Config.RequestTimeout.TotalSeconds:0.#}s";
            Connectivity.Failed(message);
            throw new TimeoutException(message, e);
        }
    }

    /// <summary>Opens a streaming response (watch): only the headers are bound by the request timeout. The caller disposes it.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Config.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await SendCoreAsync(HttpMethod.Get, pathAndQuery, null, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var message = $"GET {ServerDisplay}{pathAndQuery}: no response headers within {Config.RequestTimeout.TotalSeconds:0.#}s";
            Connectivity.Failed(message);
            throw new TimeoutException(message, e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw KubeErrors.FromResponse(response.StatusCode, body);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (_limiter is not null)
        {
            await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(method, new Uri(Config.BaseAddress + pathAndQuery)) { Content = content };
        request.Headers.UserAgent.ParseAdd(Config.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (Config.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetToken());
        }
        else if (Config.Username is { } user)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Config.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // The transport names only host:port ("localhost:80" for a Unix socket); say which server and request.
            var message = $"{method} {ServerDisplay}{pathAndQuery}: {e.Message}";
            Connectivity.Failed(message);
            throw new HttpRequestException(e.HttpRequestError, message, e, e.StatusCode);
        }

        Connectivity.Reached();
        return response;
    }
}
